"""Recording work: attempts, lesson progress, course completion, cycles and translations."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from courses.models import Attempt, CourseCompletion, Cycle, Enrollment, LessonProgress
from courses.progress import LessonVisit, complete_reading, record_attempt
from courses.signals import course_completed
from courses.testing import make_course, make_lesson, make_quiz, query_dict, quiz_answers, translate


def submit(visit, activity, data):
    """Grade ``data`` for ``activity`` the way the lesson view does."""
    answers = activity.clean_submission(query_dict(data))
    return record_attempt(visit, activity, answers, activity.grade(answers, visit.pass_mark))


@pytest.fixture
def enrolled(course, learner):
    return Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)[0]


@pytest.fixture
def lessons(course):
    return [lesson.specific for lesson in course.get_children()]


def visit(learner, lesson):
    return LessonVisit.start(learner, lesson)


def test_a_learner_not_enrolled_has_no_visit(learner, lessons):
    assert visit(learner, lessons[0]) is None


def test_a_failed_attempt_is_kept_and_completes_nothing(enrolled, learner, lessons, quiz):
    attempt = submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz, correct=False))

    assert (attempt.score, attempt.passed) == (0, False)
    assert Attempt.objects.count() == 1
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_passing_every_activity_completes_the_lesson(enrolled, learner, lessons, quiz):
    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))

    progress = LessonProgress.objects.get()
    assert progress.lesson_id == lessons[0].pk
    assert progress.completed_at is not None
    assert visit(learner, lessons[0]).is_lesson_complete()
    assert not CourseCompletion.objects.exists()


def test_completing_every_required_lesson_completes_the_course_once(
    enrolled, learner, lessons, quiz, reflection, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(completion, **kwargs):
        sent.append(completion)

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))
            submit(visit(learner, lessons[1]), reflection, {"response": "I listened and then I helped"})
            submit(visit(learner, lessons[1]), reflection, {"response": "A second answer is kept as well"})
    finally:
        course_completed.disconnect(receiver)

    completion = CourseCompletion.objects.get()
    assert (completion.enrollment, completion.cycle) == (enrolled, 1)
    assert Cycle.objects.get(enrollment=enrolled).completed
    assert sent == [completion]
    assert Attempt.objects.count() == 3
    assert Enrollment.objects.with_progress().get().progress_percent == 100


def test_an_optional_lesson_is_not_needed(index, learner):
    course = make_course(index, "Short")
    quiz = make_quiz()
    required = make_lesson(course, "Needed", activities=[quiz])
    make_lesson(course, "Extra reading", required=False)
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)

    submit(visit(learner, required), quiz, quiz_answers(quiz))

    assert CourseCompletion.objects.count() == 1


def test_a_lesson_without_activities_is_completed_by_reading(index, learner):
    course = make_course(index, "Reading only")
    lesson = make_lesson(course, "Read me")
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)

    complete_reading(visit(learner, lesson))
    complete_reading(visit(learner, lesson))

    assert LessonProgress.objects.get().completed_at is not None
    assert CourseCompletion.objects.count() == 1


def test_work_done_in_persian_counts_for_the_course(course, learner, lessons, quiz, reflection, fa):
    persian_course = translate(course, fa, title="گوش‌دادن")
    Enrollment.objects.enrol(learner, persian_course, source=Enrollment.Source.SELF)
    persian_lessons = [translate(lesson, fa, title=f"درس {n}") for n, lesson in enumerate(lessons, 1)]

    submit(visit(learner, persian_lessons[0]), quiz, quiz_answers(quiz))
    submit(visit(learner, lessons[1]), reflection, {"response": "one two three four"})

    assert LessonProgress.objects.filter(lesson__in=lessons, completed_at__isnull=False).count() == 2
    assert CourseCompletion.objects.count() == 1
    assert visit(learner, persian_lessons[0]).is_lesson_complete()


def test_a_new_cycle_starts_afresh_and_keeps_the_past(enrolled, learner, lessons, quiz, reflection):
    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))
    submit(visit(learner, lessons[1]), reflection, {"response": "one two three four"})
    Cycle.objects.create(enrollment=enrolled, number=2, is_refresher=True, opened_on=timezone.localdate())
    Enrollment.objects.filter(pk=enrolled.pk).update(cycle=2)

    refreshed = Enrollment.objects.with_progress().get()
    assert (refreshed.is_complete, refreshed.completed_lesson_count) == (False, 0)
    assert not visit(learner, lessons[0]).passed_activity_keys

    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))
    submit(visit(learner, lessons[1]), reflection, {"response": "one two three four"})

    assert list(CourseCompletion.objects.order_by("cycle").values_list("cycle", flat=True)) == [1, 2]


def test_a_lesson_written_in_persian_first_counts_for_the_course(course, learner, lessons, quiz, reflection, fa):
    persian_course = translate(course, fa, title="گوش‌دادن")
    for n, lesson in enumerate(lessons, 1):
        translate(lesson, fa, title=f"درس {n}")
    persian_quiz = make_quiz(title="آزمونک", locale=fa)
    persian_first = make_lesson(persian_course, "درس تازه", slug="new-lesson", activities=[persian_quiz])
    translate(persian_first, "en", title="A new lesson")
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)

    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))
    submit(visit(learner, lessons[1]), reflection, {"response": "one two three four"})
    assert not CourseCompletion.objects.exists()
    submit(visit(learner, persian_first), persian_quiz, quiz_answers(persian_quiz))

    assert Enrollment.objects.with_progress().get().completed_lesson_count == 3
    assert CourseCompletion.objects.count() == 1


def test_an_activity_missing_from_a_translation_is_still_required(learner_client, course, learner, lessons, quiz, fa):
    translate(course, fa, title="گوش‌دادن")
    persian_lesson = translate(lessons[0], fa, title="درس")
    persian_lesson.activity_links.all().delete()
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)

    response = learner_client.post(persian_lesson.url + "complete/")

    assert persian_lesson.required_activities().get() == quiz
    assert response.status_code == 409
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_the_pass_mark_is_the_course_s_in_every_language(course, learner, lessons, quiz, fa):
    course.pass_mark = 100
    course.save_revision().publish()
    translate(course, fa, title="گوش‌دادن", pass_mark=30)
    persian_lesson = translate(lessons[0], fa, title="درس")
    Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)
    answers = quiz_answers(quiz)
    answers[quiz.question_list[2].field_name] = ["true"]

    attempt = submit(visit(learner, persian_lesson), quiz, answers)

    assert (attempt.score, attempt.passed) == (67, False)


def test_passing_again_completes_a_course_whose_lessons_changed(enrolled, learner, lessons, quiz, reflection):
    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))
    lessons[1].required = False
    lessons[1].save_revision().publish()
    assert not CourseCompletion.objects.exists()

    submit(visit(learner, lessons[0]), quiz, quiz_answers(quiz))

    assert CourseCompletion.objects.count() == 1


def test_the_migration_that_brings_in_the_mark_marks_the_cycles_already_completed(enrolled, learner, lessons, quiz):
    Cycle.objects.create(enrollment=enrolled, number=2, is_refresher=True, opened_on=timezone.localdate())
    CourseCompletion.objects.create(enrollment=enrolled, cycle=1)
    Cycle.objects.update(completed=False)  # as the records were before the mark existed

    import_module("courses.migrations.0009_cycle_completed_mark").mark_completed_cycles(apps, None)

    assert list(Cycle.objects.values_list("number", "completed").order_by("number")) == [(1, True), (2, False)]
