"""The last attempt's feedback, choice by choice, on the form the learner answers again."""

from courses.models import Enrollment, LessonActivity
from courses.testing import make_quiz, quiz_answers, translate


def test_a_retake_shows_a_blank_form_beside_the_last_attempts_marks(learner_client, learner, course, quiz):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first().specific
    learner_client.post(f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz, correct=False))

    page = learner_client.get(lesson.url).text

    assert " checked" not in page
    assert "You chose it: wrong" in page
    assert "Missed: this one is right" in page


def test_an_attempt_in_one_language_is_marked_on_the_other_languages_form(learner_client, learner, course, quiz, fa):
    """Content files install each language on its own, so a quiz's translations have blocks of other ids."""
    persian_quiz = make_quiz(title="آزمون", locale=fa, translation_key=quiz.translation_key)
    lesson = course.get_children().first().specific
    translate(course, fa, title="گوش‌دادن")
    persian_lesson = translate(lesson, fa, title="اول گوش بده")
    LessonActivity.objects.filter(lesson=persian_lesson).update(activity=persian_quiz)
    Enrollment.objects.enrol(learner, course, source="self")
    assert persian_quiz.question_list[0].field_name != quiz.question_list[0].field_name

    learner_client.post(f"{persian_lesson.url}activities/{persian_quiz.pk}/", quiz_answers(persian_quiz, correct=False))
    page = learner_client.get(lesson.url).text

    assert "You scored 0%" in page
    assert page.count("You chose it: wrong") == 3
    assert "Policy first sounds like a wall." in page
