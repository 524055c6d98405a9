"""What the learner's pages show: unread notifications, their list, and the due dates of the calendar feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone, translation

from courses.models import Enrollment, localize_courses
from reminders.calendar import DueDate
from reminders.messages import absolute, course_in
from reminders.models import Reminder
from reminders.queueing import cycles_in_progress

#: How many notifications the dashboard lists.
SHOWN = 10
#: Seconds the header's unread count is kept in the cache: every page shows it, and new notifications may
#: take this long to be counted (marking read updates it at once).
UNREAD_COUNT_SECONDS = 60


def _unread_key(user) -> str:
    return f"reminders:unread:{user.pk}"


def unread_count(user) -> int:
    """How many notifications ``user`` has not read, from the cache when it has it."""
    count = cache.get(_unread_key(user))
    if count is None:
        count = Reminder.objects.notifications_for(user).unread().count()
        cache.set(_unread_key(user), count, UNREAD_COUNT_SECONDS)
    return count


def forget_unread_count(user) -> None:
    cache.delete(_unread_key(user))


@dataclass
class Notification:
    reminder: Reminder
    course: str
    learner: str


def notifications_for(user) -> list[Notification]:
    """The user's latest notifications, with the course in the active language."""
    reminders = list(
        Reminder.objects.notifications_for(user).select_related(
            "cycle__enrollment__course", "cycle__enrollment__user__staff_profile"
        )[:SHOWN]
    )
    enrollments = localize_courses(reminder.cycle.enrollment for reminder in reminders)
    language = translation.get_language()
    return [
        Notification(
            reminder,
            enrollment.localized_course.title,
            enrollment.user.staff_profile.name_for(language)
            if hasattr(enrollment.user, "staff_profile")
            else enrollment.user.get_username(),
        )
        for reminder, enrollment in zip(reminders, enrollments, strict=True)
    ]


def due_dates_of(user) -> list[DueDate]:
    """The due dates of the user's cycles in progress, in the active language, for the calendar feed."""
    today = timezone.localdate()
    cycles = (
        cycles_in_progress(today)
        .filter(enrollment__in=Enrollment.objects.filter(user=user))
        .select_related("enrollment__course")
        .order_by("due_on")
    )
    language = translation.get_language()
    dues = []
    for cycle in cycles:
        course = course_in(cycle.enrollment.course, language)
        dues.append(DueDate(cycle.pk, course.title, cycle.due_on, absolute(course.get_url() or "/")))
    return dues
