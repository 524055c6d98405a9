"""Simultaneous submissions of one learner are serialised: one completion, every attempt kept."""

import threading

import pytest
from django.db import connection
from django.test import Client

from courses.models import Attempt, CourseCompletion, Enrollment, LessonProgress
from courses.testing import make_course, make_lesson, make_quiz, make_training_site, make_user, publish, quiz_answers
from modules.angry_customer.models import ScenarioActivity, ScenarioRun
from tests.modules.test_angry_customer import scenario_data


@pytest.mark.django_db(transaction=True)
def test_two_passing_submissions_at_once_leave_one_completion():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; row locks are tested on PostgreSQL.")
    course = make_course(make_training_site(), "Once")
    quiz = make_quiz()
    lesson = make_lesson(course, "Only lesson", activities=[quiz])
    learner = make_user("twice")
    Enrollment.objects.enrol(learner, lesson.course, source="self")
    url, answers = f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz)
    start = threading.Barrier(2)
    statuses = []

    def submit():
        client = Client()
        client.force_login(learner)
        start.wait()
        statuses.append(client.post(url, answers).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert Attempt.objects.count() == 2
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1
    assert CourseCompletion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_restarts_of_a_scenario_at_once_open_one_run():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; row locks are tested on PostgreSQL.")
    course = make_course(make_training_site(), "Complaints")
    scenario = publish(ScenarioActivity.from_content(scenario_data()))
    lesson = make_lesson(course, "Practice", activities=[scenario])
    learner = make_user("restless")
    Enrollment.objects.enrol(learner, lesson.course, source="self")
    url = f"{lesson.url}activities/{scenario.pk}/"
    start = threading.Barrier(20)
    statuses = []

    def restart():
        client = Client()
        client.force_login(learner)
        start.wait()
        statuses.append(client.post(url, {"restart": "1"}).status_code)
        connection.close()

    threads = [threading.Thread(target=restart) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 20
    assert ScenarioRun.objects.count() == 1
