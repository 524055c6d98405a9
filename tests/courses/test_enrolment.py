import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from courses.models import Enrollment, LearningPath, LearningPathStep, StaffProfile
from courses.testing import make_course, make_user, translate


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


def test_due_and_overdue(course, learner):
    enrollment, _ = Enrollment.objects.enrol(
        learner, course, source=Enrollment.Source.ASSIGNED, due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    enrollment = Enrollment.objects.with_progress().get(pk=enrollment.pk)
    assert enrollment.is_overdue
    assert not enrollment.is_due_soon

    enrollment.due_date = timezone.localdate() + datetime.timedelta(days=3)
    assert enrollment.is_due_soon
    assert not enrollment.is_overdue

    enrollment.due_date = timezone.localdate() + datetime.timedelta(days=30)
    assert not enrollment.is_due_soon


@pytest.fixture
def onboarding(course, index):
    second = make_course(index, "Second course")
    path = LearningPath.objects.create(name="Onboarding", is_onboarding=True)
    LearningPathStep.objects.create(path=path, course=course, sort_order=0)
    LearningPathStep.objects.create(path=path, course=second, sort_order=1)
    return path


def test_a_new_hire_is_enrolled_in_the_onboarding_path(onboarding):
    hired = timezone.localdate() - datetime.timedelta(days=3)
    user = make_user("newhire", profile={"hire_date": hired})

    enrollments = Enrollment.objects.filter(user=user)
    assert enrollments.count() == 2
    assert {e.source for e in enrollments} == {Enrollment.Source.AUTOMATIC}


def test_an_older_employee_is_not_put_on_onboarding(onboarding):
    user = make_user("old-hand", profile={"hire_date": datetime.date(2015, 1, 1)})
    assert not Enrollment.objects.filter(user=user).exists()


def test_saving_a_profile_again_does_not_enrol_again(onboarding):
    user = make_user("newhire", profile={"hire_date": timezone.localdate()})
    Enrollment.objects.filter(user=user).first().delete()

    profile = StaffProfile.objects.get(user=user)
    profile.department = "Call centre"
    profile.save()

    assert Enrollment.objects.filter(user=user).count() == 1


def test_a_path_enrols_in_order_without_duplicates(onboarding, learner):
    Enrollment.objects.enrol(learner, onboarding.steps.first().course, source=Enrollment.Source.SELF)

    enrollments = onboarding.enrol(learner)

    assert [e.course_id for e in enrollments] == [step.course_id for step in onboarding.steps.all()]
    assert Enrollment.objects.filter(user=learner).count() == 2
