"""Simultaneous submissions of one learner are serialised: one completion, one certificate, every attempt kept."""

import threading

import pytest
from django.db import connection
from django.test import Client

from certificates.models import Certificate
from courses.models import Attempt, CourseCompletion, Enrollment, LessonProgress
from courses.testing import make_course, make_lesson, make_quiz, make_training_site, make_user, publish, quiz_answers
from modules.angry_customer.models import ScenarioActivity, ScenarioRun
from tests.modules.test_angry_customer import scenario_data


@pytest.mark.django_db(transaction=True)
def test_fifty_final_answers_at_once_leave_one_completion_and_one_certificate(settings, tmp_path, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; row locks are tested on PostgreSQL.")
    settings.MEDIA_ROOT = tmp_path
    settings.TRAINING_ATTEMPTS_PER_MINUTE = 30
    course = make_course(make_training_site(), "Once")
    quiz = make_quiz()
    lesson = make_lesson(course, "Only lesson", activities=[quiz])
    learner = make_user("fifty")
    Enrollment.objects.enrol(learner, lesson.course, source="self")
    url, answers = f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz)
    tries = 50
    start = threading.Barrier(tries)
    statuses = []

    def submit():
        client = Client()
        client.force_login(learner)
        start.wait()
        statuses.append(client.post(url, answers).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted, refused = statuses.count(302), statuses.count(429)
    # One learner may answer 30 times a minute (more if the minute turned meanwhile); the rest are refused.
    assert accepted >= 30
    assert accepted + refused == tries
    assert Attempt.objects.count() == accepted
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1
    assert CourseCompletion.objects.count() == 1
    certificates = Certificate.objects.filter(completion__enrollment__user=learner)
    assert [certificate.is_issued for certificate in certificates] == [True]
    with capsys.disabled():
        print(f"\n{tries} answers at once: {accepted} recorded, {refused} refused (429), 1 completion, 1 certificate")


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
