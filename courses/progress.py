"""Recording a learner's work: attempts, lesson progress and course completion.

Contract:

* Every graded submission is stored as an :class:`~courses.models.Attempt`, passed or not.
* A lesson is complete in a cycle once each live activity of its live translations has
  a passing attempt in that cycle, in any language (a lesson with no activity, once the
  learner has read it).
* A course is complete in a cycle once each live, required lesson of the course that
  learner records point at is complete, in whichever language it was done.
  The completion is recorded exactly once: the work runs in one transaction that
  locks the enrolment, and unique constraints back that up. After the transaction
  commits, :data:`course_completed` is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from courses.models import (
    Activity,
    ActivityState,
    Attempt,
    CourseCompletion,
    CoursePage,
    Enrollment,
    Grade,
    LessonPage,
    LessonProgress,
)
from courses.signals import course_completed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class LessonVisit:
    """A learner on a lesson of a course they are enrolled in."""

    user: AbstractBaseUser
    lesson: LessonPage
    course: CoursePage
    enrollment: Enrollment

    @classmethod
    def start(cls, user: AbstractBaseUser, lesson: LessonPage) -> LessonVisit | None:
        """The visit, or ``None`` when the learner is not enrolled in the lesson's course."""
        course = lesson.course
        enrollment = Enrollment.objects.for_user(user).for_course(course).select_related("course").first()
        return cls(user, lesson, course, enrollment) if enrollment else None

    @property
    def pass_mark(self) -> int:
        """The course's pass mark, as set on the course learner records point at, whatever the language."""
        return self.enrollment.course.pass_mark

    @cached_property
    def activities(self) -> list[Activity]:
        return self.lesson.live_activities()

    @cached_property
    def attempts(self) -> list[Attempt]:
        """This cycle's attempts at the lesson's activities (in any language), newest first."""
        keys = [activity.translation_key for activity in self.activities]
        return list(
            Attempt.objects.filter(
                enrollment=self.enrollment, cycle=self.enrollment.cycle, activity__translation_key__in=keys
            ).select_related("activity")
        )

    @cached_property
    def passed_activity_keys(self) -> set:
        return {attempt.activity.translation_key for attempt in self.attempts if attempt.passed}

    @cached_property
    def lessons(self) -> list[LessonPage]:
        """The course's live lessons in this language, each marked ``is_complete``."""
        return self.course.lessons_with_progress(self.enrollment)

    def is_lesson_complete(self) -> bool:
        return any(lesson.is_complete for lesson in self.lessons if lesson.pk == self.lesson.pk)

    def next_lesson(self) -> LessonPage | None:
        """The first lesson after this one that is not complete yet."""
        after = [lesson for lesson in self.lessons if lesson.path > self.lesson.path]
        return next((lesson for lesson in after if not lesson.is_complete), None)

    def activity_states(self) -> list[ActivityState]:
        latest: dict[Any, Attempt] = {}
        for attempt in self.attempts:
            latest.setdefault(attempt.activity.translation_key, attempt)
        states = [
            ActivityState(
                activity,
                submit_url=self.lesson.submit_url(activity),
                latest_attempt=latest.get(activity.translation_key),
                passed=activity.translation_key in self.passed_activity_keys,
            )
            for activity in self.activities
        ]
        by_type: dict[type[Activity], list[ActivityState]] = {}
        for state in states:
            by_type.setdefault(type(state.activity), []).append(state)
        for activity_type, group in by_type.items():
            activity_type.load_learner_state(group, self)
        return states


def record_attempt(visit: LessonVisit, activity: Activity, answers: dict, grade: Grade) -> Attempt:
    """Store a graded submission and complete the lesson and course if it finishes them."""
    with transaction.atomic():
        enrollment = lock_enrollment(visit.enrollment)
        attempt = Attempt.objects.create(
            enrollment=enrollment,
            cycle=enrollment.cycle,
            lesson=visit.lesson,
            activity=activity,
            answers=answers,
            score=grade.score,
            passed=grade.passed,
            feedback=grade.feedback,
        )
        progress = _lesson_progress(enrollment, visit.lesson)
        if grade.passed and _all_passed(enrollment, visit.lesson):
            _complete_lesson(enrollment, progress)
    return attempt


def complete_reading(visit: LessonVisit) -> None:
    """Complete a lesson that has no activity, once the learner says they have read it."""
    with transaction.atomic():
        enrollment = lock_enrollment(visit.enrollment)
        _complete_lesson(enrollment, _lesson_progress(enrollment, visit.lesson))


def lock_enrollment(enrollment: Enrollment) -> Enrollment:
    """The enrolment, re-read under a row lock so one learner's submissions run one at a time.

    Call inside a transaction.
    """
    return Enrollment.objects.select_related("course").select_for_update(of=("self",)).get(pk=enrollment.pk)


def _all_passed(enrollment: Enrollment, lesson: LessonPage) -> bool:
    """Whether every activity the lesson requires, in any language, has a passing attempt this cycle."""
    passed = Attempt.objects.filter(enrollment=enrollment, cycle=enrollment.cycle, passed=True).values(
        "activity__translation_key"
    )
    return not lesson.required_activities().exclude(translation_key__in=passed).exists()


def _lesson_progress(enrollment: Enrollment, lesson: LessonPage) -> LessonProgress:
    # The enrolment is locked, so no other request can create this row meanwhile.
    fields = {"enrollment": enrollment, "cycle": enrollment.cycle, "lesson_id": lesson.canonical_id}
    return LessonProgress.objects.filter(**fields).first() or LessonProgress.objects.create(**fields)


def _complete_lesson(enrollment: Enrollment, progress: LessonProgress) -> None:
    now = timezone.now()
    newly_completed = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
    # A lesson passed again may finish a course whose lessons trainers have changed meanwhile.
    completed_before = not newly_completed and enrollment.completions.filter(cycle=enrollment.cycle).exists()
    if not completed_before and _course_is_complete(enrollment):
        completion = CourseCompletion.objects.create(enrollment=enrollment, cycle=enrollment.cycle, completed_at=now)
        transaction.on_commit(lambda: course_completed.send(sender=CourseCompletion, completion=completion))


def _course_is_complete(enrollment: Enrollment) -> bool:
    """Whether each live, required lesson of the course is complete this cycle, in whichever language."""
    completed = LessonProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, completed_at__isnull=False
    ).values("lesson__translation_key")
    required = LessonPage.objects.child_of(enrollment.course).live().filter(required=True)
    return not required.exclude(translation_key__in=completed).exists()
