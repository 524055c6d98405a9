"""Recording a learner's work: attempts, lesson progress and course completion.

Contract:

* Every graded submission is stored as an :class:`~courses.models.Attempt`, passed or not.
* A lesson is complete in a cycle once each live activity of its live translations has
  a passing attempt in that cycle, in any language (a lesson with no activity, once the
  learner has read it).
* A course is complete in a cycle once each live lesson the cycle requires (the required
  lessons; in a refresher, those of them marked for refreshers) of the course that learner
  records point at is complete, in whichever language it was done.
  The completion is recorded exactly once, with the validity the course's refresher policy
  gives it (``courses.refreshers.validity_for``), and its cycle is marked completed
  (``CourseCompletion.save``): the work runs in one transaction that locks the enrolment,
  and unique constraints back that up. After the transaction commits,
  :data:`course_completed` is sent.
* A test-out (:class:`TestOutCheck`) is one check made of the graded activities of the lessons a cycle
  requires, offered once per cycle before it is started, where the course allows it. Every answer
  is kept as an attempt; each lesson whose activities all pass counts complete, as tested out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Activity,
    ActivityState,
    Attempt,
    CourseCompletion,
    CoursePage,
    Cycle,
    Enrollment,
    Grade,
    LessonEntry,
    LessonPage,
    LessonProgress,
    SubmissionError,
)
from courses.refreshers import validity_for
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
        enrollments = Enrollment.objects.for_user(user).for_course(course)
        # Learner records point at the canonical course: on its pages, that is the course at hand.
        canonical = course.pk == course.canonical_id
        enrollment = (enrollments if canonical else enrollments.select_related("course")).first()
        if enrollment is None:
            return None
        if canonical:
            enrollment.course = course
        return cls(user, lesson, course, enrollment)

    @property
    def pass_mark(self) -> int:
        """The course's pass mark, as set on the course learner records point at, whatever the language."""
        return self.enrollment.course.pass_mark

    @cached_property
    def activities(self) -> list[Activity]:
        return self.lesson.live_activities()

    @cached_property
    def attempts(self) -> list[Attempt]:
        """This cycle's attempts at the lesson's activities (in any language), newest first, each with
        ``activity_key``, its activity's translation key."""
        keys = [activity.translation_key for activity in self.activities]
        return list(
            Attempt.objects.filter(
                enrollment=self.enrollment, cycle=self.enrollment.cycle, activity__translation_key__in=keys
            ).annotate(activity_key=F("activity__translation_key"))
        )

    @cached_property
    def passed_activity_keys(self) -> set:
        return {attempt.activity_key for attempt in self.attempts if attempt.passed}

    @cached_property
    def lessons(self) -> list[LessonEntry]:
        """The course's live lessons in this language, each marked ``is_complete``."""
        return self.course.lessons_with_progress(self.enrollment)

    def is_lesson_complete(self) -> bool:
        return any(lesson.is_complete for lesson in self.lessons if lesson.pk == self.lesson.pk)

    def next_lesson(self) -> LessonEntry | None:
        """The first lesson after this one that is not complete yet."""
        after = [lesson for lesson in self.lessons if lesson.path > self.lesson.path]
        return next((lesson for lesson in after if not lesson.is_complete), None)

    def activity_states(self) -> list[ActivityState]:
        latest: dict[Any, Attempt] = {}
        for attempt in self.attempts:
            latest.setdefault(attempt.activity_key, attempt)
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
    if newly_completed or not enrollment.completions.filter(cycle=enrollment.cycle).exists():
        _complete_course_if_done(enrollment, now)


def _complete_course_if_done(enrollment: Enrollment, now) -> None:
    """Record the completion of the current cycle if every lesson it requires is complete. Call with the
    enrolment locked."""
    if not _course_is_complete(enrollment):
        return
    completion = CourseCompletion(enrollment=enrollment, cycle=enrollment.cycle, completed_at=now)
    completion.set_validity(validity_for(enrollment, timezone.localdate(now)))
    completion.save()
    if completion.refresher_opens_on:
        Enrollment.objects.filter(pk=enrollment.pk).update(refresher_opens_on=completion.refresher_opens_on)
    transaction.on_commit(lambda: course_completed.send(sender=CourseCompletion, completion=completion))


def _course_is_complete(enrollment: Enrollment) -> bool:
    """Whether each live lesson the current cycle requires is complete, in whichever language."""
    completed = LessonProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, completed_at__isnull=False
    ).values("lesson__translation_key")
    return not required_lessons(enrollment).exclude(translation_key__in=completed).exists()


def required_lessons(enrollment: Enrollment):
    """The live lessons of the enrolment's course (the canonical one) that its current cycle requires."""
    is_refresher = Cycle.objects.filter(enrollment=enrollment, number=enrollment.cycle).values("is_refresher")[:1]
    # A refresher requires only lessons marked for refreshers: in_refreshers >= is_refresher.
    return (
        LessonPage.objects.child_of(enrollment.course)
        .live()
        .filter(required=True, in_refreshers__gte=Coalesce(Subquery(is_refresher), False))
    )


class TestOutCheck:
    """A learner's test-out of the current cycle of a course, on the course page in their language.

    Offered when the course allows it for this kind of cycle, once per cycle, before the learner
    has started it. Lessons with nothing to test (reading only, or only activities that cannot be
    answered in one form, such as reflections) are left out.
    """

    def __init__(self, enrollment: Enrollment, cycle: Cycle, course: CoursePage):
        self.enrollment, self.cycle, self.course = enrollment, cycle, course

    @classmethod
    def offer(cls, user: AbstractBaseUser, course: CoursePage) -> TestOutCheck | None:
        """The test-out ``user`` may take now in ``course``, if any."""
        enrollment = Enrollment.objects.for_user(user).for_course(course).select_related("course").first()
        if enrollment is None:
            return None
        cycle = Cycle.objects.filter(enrollment=enrollment, number=enrollment.cycle).first()
        if (
            cycle is None
            or cycle.test_out_taken_at
            or not enrollment.course.allows_test_out(cycle.is_refresher)
            or LessonProgress.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).exists()
        ):
            return None
        test = cls(enrollment, cycle, course)
        return test if test.lessons else None

    @cached_property
    def lessons(self) -> list[tuple[LessonPage, list[Activity]]]:
        """The lessons to test, in this language, each with its activities that a test-out asks."""
        keys = required_lessons(self.enrollment).values("translation_key")
        lessons = self.course.lessons().filter(translation_key__in=keys).defer_streamfields()
        tested = []
        for lesson in lessons:
            activities = [activity for activity in lesson.live_activities() if activity.can_test_out]
            if activities:
                tested.append((lesson, activities))
        return tested

    def sections(
        self, data: QueryDict | None = None, error: SubmissionError | None = None
    ) -> list[tuple[LessonPage, list[tuple[Activity, ActivityState]]]]:
        """What the test-out form shows: each lesson with its activities' states, refilled after a refusal."""
        return [
            (lesson, [(activity, ActivityState(activity, submitted=data, error=error)) for activity in activities])
            for lesson, activities in self.lessons
        ]

    def submit(self, data: QueryDict) -> list[LessonPage]:
        """Grade and record a test-out; return the lessons tested out. Raises :class:`SubmissionError`
        (and stores nothing) for an incomplete or foreign submission, or a test-out taken already."""
        activities = [activity for _lesson, lesson_activities in self.lessons for activity in lesson_activities]
        expected = set().union(*(activity.submission_fields() for activity in activities))
        if unexpected := set(data) - expected - {"csrfmiddlewaretoken"}:
            raise SubmissionError(
                _("This submission has fields the test-out does not ask for: %(fields)s.")
                % {"fields": ", ".join(sorted(unexpected))}
            )
        answers, errors = {}, {}
        for activity in activities:
            try:
                answers[activity.pk] = activity.clean_answers(data)
            except SubmissionError as error:
                errors.update(error.errors)
        if errors:
            raise SubmissionError(errors)
        pass_mark = self.enrollment.course.pass_mark
        tested_out = []
        with transaction.atomic():
            enrollment = lock_enrollment(self.enrollment)
            now = timezone.now()
            taken = Cycle.objects.filter(
                enrollment=enrollment, number=self.cycle.number, test_out_taken_at__isnull=True
            ).update(test_out_taken_at=now)
            if not taken or enrollment.cycle != self.cycle.number:
                raise SubmissionError(_("You have taken this test-out already."), status=409)
            for lesson, lesson_activities in self.lessons:
                attempts = []
                for activity in lesson_activities:
                    grade = activity.grade(answers[activity.pk], pass_mark)
                    attempts.append(
                        Attempt(
                            enrollment=enrollment,
                            cycle=enrollment.cycle,
                            lesson=lesson,
                            activity=activity,
                            answers=answers[activity.pk],
                            score=grade.score,
                            passed=grade.passed,
                            feedback=grade.feedback,
                            submitted_at=now,
                        )
                    )
                Attempt.objects.bulk_create(attempts)
                if all(attempt.passed for attempt in attempts):
                    LessonProgress.objects.create(
                        enrollment=enrollment,
                        cycle=enrollment.cycle,
                        lesson_id=lesson.canonical_id,
                        started_at=now,
                        completed_at=now,
                        tested_out=True,
                    )
                    tested_out.append(lesson)
            if tested_out:
                _complete_course_if_done(enrollment, now)
        return tested_out
