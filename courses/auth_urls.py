"""Login and logout in the training site's look. Optional: a site may keep its own."""

from django.contrib.auth import views as auth_views
from django.urls import path

from courses.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
