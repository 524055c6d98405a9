"""Learner records: enrolments, attempts, lesson progress and course completions.

Training runs in *cycles*: the first time a learner takes a course is cycle 1, and
each refresher is a new cycle of the same enrolment. Attempts, lesson progress and
completions carry the cycle they belong to, so every past cycle stays on record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant

from courses.conf import get_setting
from courses.models.expressions import count_rows
from courses.models.pages import CoursePage, LessonPage

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from wagtail.models import Page


class EnrollmentQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> EnrollmentQuerySet:
        return self.filter(user=user) if user.is_authenticated else self.none()

    def for_course(self, course: CoursePage) -> EnrollmentQuerySet:
        """Enrolments in ``course``, whichever of its translations the learner enrolled through."""
        return self.filter(course__translation_key=course.translation_key)

    def with_progress(self) -> EnrollmentQuerySet:
        """Annotate the current cycle's progress, in one query whatever the number of lessons.

        ``required_lesson_count`` counts the live, required lessons of the course and
        ``completed_lesson_count`` those of them done this cycle, in whichever language;
        ``completed_at`` is when the current cycle was completed.
        """
        required_lessons = LessonPage.objects.filter(
            live=True,
            required=True,
            depth=models.OuterRef("course__depth") + 1,
            path__startswith=models.OuterRef("course__path"),
        )
        completed_keys = LessonProgress.objects.filter(
            enrollment=models.OuterRef(models.OuterRef("pk")),
            cycle=models.OuterRef(models.OuterRef("cycle")),
            completed_at__isnull=False,
        ).values("lesson__translation_key")
        completed_lessons = required_lessons.filter(translation_key__in=completed_keys)
        completion = CourseCompletion.objects.filter(enrollment=models.OuterRef("pk"), cycle=models.OuterRef("cycle"))
        started = LessonProgress.objects.filter(enrollment=models.OuterRef("pk"), cycle=models.OuterRef("cycle"))
        return self.select_related("course").annotate(
            required_lesson_count=count_rows(required_lessons),
            completed_lesson_count=count_rows(completed_lessons),
            completed_at=models.Subquery(completion.values("completed_at")[:1]),
            is_started=models.Exists(started),
        )

    def enrol(
        self,
        user: AbstractBaseUser,
        course: CoursePage,
        *,
        source: str,
        assigned_by: AbstractBaseUser | None = None,
        due_date: datetime.date | None = None,
    ) -> tuple[Enrollment, bool]:
        """Enrol ``user`` in ``course`` (any translation of it), unless already enrolled."""
        return self.get_or_create(
            user=user,
            course_id=course.canonical_id,
            defaults={"source": source, "assigned_by": assigned_by, "due_date": due_date},
        )

    def for_team_of(self, manager: AbstractBaseUser) -> EnrollmentQuerySet:
        """Enrolments of the people whose staff profile names ``manager``."""
        return self.filter(user__staff_profile__manager=manager)

    def by_translation_key(self, courses: Iterable[CoursePage]) -> dict:
        """This queryset's enrolments in ``courses``, with progress, keyed by course translation key."""
        keys = [course.translation_key for course in courses]
        enrollments = self.with_progress().filter(course__translation_key__in=keys)
        return {enrollment.course.translation_key: enrollment for enrollment in enrollments}


class Enrollment(models.Model):
    """A learner's standing place in a course: one per learner and course."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned by a trainer")
        AUTOMATIC = "automatic", _("Automatic")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("learner")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("course")
    )
    source = models.CharField(_("how enrolled"), max_length=20, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    cycle = models.PositiveIntegerField(
        _("cycle"),
        default=1,
        editable=False,
        help_text=_("The training cycle in progress; a refresher starts the next."),
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment_per_course")]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"

    # These read the annotations of EnrollmentQuerySet.with_progress().

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def progress_percent(self) -> int:
        if self.is_complete:
            return 100
        if not self.required_lesson_count:
            return 0
        return min(99, 100 * self.completed_lesson_count // self.required_lesson_count)

    @property
    def is_overdue(self) -> bool:
        return self.due_date is not None and not self.is_complete and self.due_date < timezone.localdate()

    @property
    def is_due_soon(self) -> bool:
        if self.due_date is None or self.is_complete or self.is_overdue:
            return False
        return (self.due_date - timezone.localdate()).days <= get_setting("DUE_SOON_DAYS")


def learner_records_under(page: Page) -> bool:
    """Whether learners' records point at ``page`` or at a page below it (in whichever language)."""
    return (
        Enrollment.objects.filter(course__path__startswith=page.path).exists()
        or LessonProgress.objects.filter(lesson__path__startswith=page.path).exists()
        or Attempt.objects.filter(lesson__path__startswith=page.path).exists()
    )


def localize_courses(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """Set ``enrollment.localized_course``: the course in the active language, or the canonical one."""
    enrollments = list(enrollments)
    keys = {enrollment.course.translation_key for enrollment in enrollments}
    translations = {
        course.translation_key: course
        for course in CoursePage.objects.live().filter(
            translation_key__in=keys, locale__language_code=get_supported_content_language_variant(get_language())
        )
    }
    for enrollment in enrollments:
        enrollment.localized_course = translations.get(enrollment.course.translation_key, enrollment.course)
    return enrollments


class Attempt(models.Model):
    """One graded submission of an activity. Every attempt is kept.

    It records the lesson and activity as the learner saw them, in their language;
    progress and completion go by translation key, so they count in every language.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson"))
    activity = models.ForeignKey(
        "courses.Activity", on_delete=models.PROTECT, related_name="attempts", verbose_name=_("activity")
    )
    answers = models.JSONField(_("answers"), encoder=DjangoJSONEncoder)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    feedback = models.JSONField(_("feedback"), default=dict, encoder=DjangoJSONEncoder)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "cycle"])]

    def __str__(self) -> str:
        return f"{self.activity_id} – {self.score}%"


class LessonProgress(models.Model):
    """A learner's progress through one lesson in one cycle: started, then completed."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "cycle", "lesson"], name="unique_lesson_progress_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.lesson_id} ({self.cycle})"


class CourseCompletion(models.Model):
    """A learner completed a course in one cycle.

    Completions are never redone, and the admin refuses to delete an enrolment that has
    one; they go only with the learner's own account.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="completions", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "cycle"], name="unique_completion_per_cycle")]

    def __str__(self) -> str:
        return f"{self.enrollment} ({self.cycle})"
