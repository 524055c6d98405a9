"""Login and logout in the training site's look. Optional: a site may keep its own."""

from django.urls import path

from courses.views import LoginView, LogoutView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
