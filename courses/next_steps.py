"""Where a learner left off and what is due next: what the training index shows a learner who is logged in.

Contract: :func:`next_steps` looks only at the learner's open enrolments (not complete in their
current cycle). *Continue* is in the course the learner last worked in (their latest graded
attempt or completed lesson): the lesson last worked on if it is not complete yet, else the first
lesson after it that is not, else the first that is not. *Due next* is the open enrolment with the
nearest due date. Courses and lessons come in the active language where they are translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F

from courses.models import Attempt, CoursePage, Enrollment, LessonEntry, LessonProgress, localize_courses

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass
class NextSteps:
    """A learner's way back into their training; every part may be missing."""

    continue_course: CoursePage | None = None
    continue_lesson: LessonEntry | None = None
    #: The open enrolment due soonest, with ``localized_course`` set.
    due_next: Enrollment | None = None
    has_open_training: bool = False


def next_steps(user: AbstractBaseUser | AnonymousUser) -> NextSteps:
    """Where ``user`` left off and what is due next (see the module's contract)."""
    enrollments = [e for e in Enrollment.objects.for_user(user).with_progress() if not e.is_complete]
    if not enrollments:
        return NextSteps()
    localize_courses(enrollments)
    steps = NextSteps(has_open_training=True)
    due = sorted((e for e in enrollments if e.due_date), key=lambda e: (e.due_date, e.pk))
    steps.due_next = due[0] if due else None

    last_worked = _last_worked_lesson(enrollments)
    if last_worked is not None:
        enrollment, lesson_key = last_worked
        course = enrollment.localized_course
        lessons = course.lessons_with_progress(enrollment)
        keys = [lesson.translation_key for lesson in lessons]
        after = keys.index(lesson_key) if lesson_key in keys else 0
        ordered = lessons[after:] + lessons[:after]
        steps.continue_course = course
        steps.continue_lesson = next((lesson for lesson in ordered if not lesson.is_complete), None)
    return steps


def _last_worked_lesson(enrollments: list[Enrollment]) -> tuple[Enrollment, object] | None:
    """The enrolment and lesson translation key of the learner's latest attempt or lesson completion,
    in the enrolment's current cycle."""
    by_pk = {enrollment.pk: enrollment for enrollment in enrollments}
    this_cycle = {"enrollment__in": enrollments, "cycle": F("enrollment__cycle")}
    fields = ("enrollment", "lesson__translation_key")
    latest = [
        Attempt.objects.filter(**this_cycle).order_by("-submitted_at", "-pk").values(*fields, when=F("submitted_at")),
        LessonProgress.objects.filter(**this_cycle, completed_at__isnull=False)
        .order_by("-completed_at", "-pk")
        .values(*fields, when=F("completed_at")),
    ]
    found = [row for row in (queryset.first() for queryset in latest) if row]
    if not found:
        return None
    row = max(found, key=lambda row: row["when"])
    return by_pk[row["enrollment"]], row["lesson__translation_key"]
