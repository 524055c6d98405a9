"""The learner's pages outside the page tree. Include under ``i18n_patterns`` for both languages."""

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("my-training/", views.dashboard, name="dashboard"),
]
