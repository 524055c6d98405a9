import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from courses.models import Cycle, Enrollment
from courses.testing import make_course, translate


def test_enrolling_twice_keeps_one_enrolment(course, learner):
    first, created = Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)
    again, created_again = Enrollment.objects.enrol(learner, course, source=Enrollment.Source.ASSIGNED)

    assert (created, created_again) == (True, False)
    assert again == first
    assert again.source == Enrollment.Source.SELF


def test_enrolling_through_a_translation_enrols_in_the_course(course, learner, fa):
    persian = translate(course, fa, title="گوش‌دادن")

    enrollment, _ = Enrollment.objects.enrol(learner, persian, source=Enrollment.Source.SELF)

    assert enrollment.course_id == course.pk
    assert Enrollment.objects.for_course(persian).get() == enrollment
    assert Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)[1] is False


def test_the_database_refuses_a_second_enrolment(course, learner):
    Enrollment.objects.create(user=learner, course=course, source=Enrollment.Source.SELF)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=learner, course=course, source=Enrollment.Source.AUTOMATIC)


def test_progress_annotations_count_required_live_lessons(index, learner):
    course = make_course(index, "Counting")
    from courses.testing import make_lesson

    make_lesson(course, "One")
    make_lesson(course, "Two")
    make_lesson(course, "Extra", required=False)
    draft = make_lesson(course, "Draft")
    draft.unpublish()
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)

    enrollment = Enrollment.objects.with_progress().get()

    assert enrollment.required_lesson_count == 2
    assert enrollment.completed_lesson_count == 0
    assert (enrollment.is_started, enrollment.progress_percent, enrollment.is_complete) == (False, 0, False)


def test_due_soon_and_overdue_follow_the_due_date(course, learner):
    today = timezone.localdate()
    enrollment, _ = Enrollment.objects.enrol(
        learner, course, source=Enrollment.Source.ASSIGNED, due_date=today - datetime.timedelta(days=1)
    )

    def status():
        return Enrollment.objects.with_status().get(pk=enrollment.pk)

    assert (status().is_overdue, status().is_due_soon) == (True, False)
    Cycle.objects.filter(enrollment=enrollment).update(due_on=today + datetime.timedelta(days=3))
    assert (status().is_overdue, status().is_due_soon) == (False, True)
    Cycle.objects.filter(enrollment=enrollment).update(due_on=today + datetime.timedelta(days=30))
    assert (status().is_overdue, status().is_due_soon) == (False, False)
