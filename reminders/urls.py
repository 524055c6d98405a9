"""The learner's reminder pages. Include under ``i18n_patterns``, beside ``courses.urls``."""

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("calendar/new-link/", views.new_calendar_link, name="new_calendar_link"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
