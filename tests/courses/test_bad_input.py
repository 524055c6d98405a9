"""Bad submissions get a 4xx with a reason and store nothing; good ones are never counted twice."""

import re

import pytest
from django.test import Client

from courses.models import Attempt, CourseCompletion, Enrollment, LessonProgress
from courses.testing import make_course, make_lesson, make_quiz, make_user, quiz_answers


@pytest.fixture
def lessons(course):
    return [lesson.specific for lesson in course.get_children()]


@pytest.fixture
def enrolled(course, learner):
    return Enrollment.objects.enrol(learner, course, source="self")[0]


def nothing_stored():
    return not Attempt.objects.exists() and not LessonProgress.objects.exists()


def test_a_choice_of_another_question_is_a_400(learner_client, enrolled, lessons, quiz):
    first, second = quiz.question_list[:2]
    answers = quiz_answers(quiz)
    answers[first.field_name] = [second.choices[0].id]

    response = learner_client.post(f"{lessons[0].url}activities/{quiz.pk}/", answers)

    assert response.status_code == 400
    assert "That answer does not belong to this question." in response.text
    assert nothing_stored()


def test_a_missing_answer_is_a_400_that_keeps_the_other_answers(learner_client, enrolled, lessons, quiz):
    answers = quiz_answers(quiz)
    kept = quiz.question_list[1]
    del answers[quiz.question_list[0].field_name]

    response = learner_client.post(f"{lessons[0].url}activities/{quiz.pk}/", answers)

    assert response.status_code == 400
    assert "Answer this question." in response.text
    for choice_id in answers[kept.field_name]:
        assert re.search(rf'value="{choice_id}" checked', response.text)
    assert nothing_stored()


def test_an_activity_of_another_lesson_is_a_404(learner_client, enrolled, lessons, quiz, reflection):
    response = learner_client.post(f"{lessons[0].url}activities/{reflection.pk}/", {"response": "one two three four"})

    assert response.status_code == 404
    assert "That activity is not part of this lesson." in response.text
    assert nothing_stored()


def test_an_activity_of_a_course_not_enrolled_in_is_a_403(learner_client, enrolled, index):
    other_quiz = make_quiz(title="Other")
    other_lesson = make_lesson(make_course(index, "Other course"), "Elsewhere", activities=[other_quiz])

    response = learner_client.post(f"{other_lesson.url}activities/{other_quiz.pk}/", quiz_answers(other_quiz))

    assert response.status_code == 403
    assert "You are not enrolled in this course." in response.text
    assert nothing_stored()


def test_a_forged_user_id_is_a_400(learner_client, enrolled, lessons, quiz):
    someone_else = make_user("someone")
    Enrollment.objects.enrol(someone_else, lessons[0].course, source="self")

    response = learner_client.post(
        f"{lessons[0].url}activities/{quiz.pk}/", {**quiz_answers(quiz), "user": str(someone_else.pk)}
    )

    assert response.status_code == 400
    assert "fields the activity does not ask for: user" in response.text
    assert nothing_stored()


def test_an_anonymous_submission_is_a_403(client, lessons, quiz):
    response = client.post(f"{lessons[0].url}activities/{quiz.pk}/", quiz_answers(quiz))
    assert response.status_code == 403
    assert nothing_stored()


def test_a_submission_is_not_a_get(learner_client, enrolled, lessons, quiz):
    assert learner_client.get(f"{lessons[0].url}activities/{quiz.pk}/").status_code == 405


def test_every_state_change_needs_the_csrf_token(learner, course, lessons, quiz):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    assert client.post(course.url + "enrol/").status_code == 403
    Enrollment.objects.enrol(learner, course, source="self")
    assert client.post(f"{lessons[0].url}activities/{quiz.pk}/", quiz_answers(quiz)).status_code == 403
    assert client.post(f"{lessons[1].url}complete/").status_code == 403
    assert nothing_stored()


def test_a_passing_answer_sent_twice_leaves_one_completion(learner_client, enrolled, lessons, quiz, reflection):
    learner_client.post(f"{lessons[1].url}activities/{reflection.pk}/", {"response": "one two three four"})
    url = f"{lessons[0].url}activities/{quiz.pk}/"

    first = learner_client.post(url, quiz_answers(quiz))
    second = learner_client.post(url, quiz_answers(quiz))

    assert (first.status_code, second.status_code) == (302, 302)
    assert Attempt.objects.filter(activity=quiz).count() == 2
    assert LessonProgress.objects.filter(lesson=lessons[0]).count() == 1
    assert CourseCompletion.objects.count() == 1
