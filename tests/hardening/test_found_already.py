"""Faults found by trying the site as a new user would: each one refused with a clear answer."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from courses.models import Attempt, Enrollment
from courses.testing import make_user, translate


@pytest.fixture
def enrolled(course, learner):
    return Enrollment.objects.enrol(learner, course, source="self")[0]


@pytest.fixture
def reflection_url(course, reflection):
    lesson = course.get_children().specific()[1]
    return f"{lesson.url}activities/{reflection.pk}/"


def test_a_reflection_with_a_nul_byte_is_refused_with_a_reason(learner_client, enrolled, reflection_url):
    response = learner_client.post(reflection_url, {"response": "I listened \x00 to the customer closely"})

    assert response.status_code == 400
    assert "invisible control characters" in response.text
    assert not Attempt.objects.exists()


def test_a_reflection_keeps_its_line_breaks_and_tabs(learner_client, enrolled, reflection_url):
    response = learner_client.post(reflection_url, {"response": "I listened\r\n\tto the customer closely"})

    assert response.status_code == 302
    assert Attempt.objects.get().answers["response"] == "I listened\r\n\tto the customer closely"


def test_a_megabyte_reflection_is_refused_with_its_limit(learner_client, enrolled, reflection_url):
    response = learner_client.post(reflection_url, {"response": "word " * 200_000})

    assert response.status_code == 400
    assert "Keep your answer under 5,000 characters" in response.text
    assert not Attempt.objects.exists()


def test_a_reflection_at_the_length_limit_is_kept(learner_client, enrolled, reflection_url, settings):
    settings.TRAINING_REFLECTION_MAX_LENGTH = 30
    answer = "one two three four five six sev"[:30]

    assert learner_client.post(reflection_url, {"response": answer}).status_code == 302
    assert learner_client.post(reflection_url, {"response": answer + "x"}).status_code == 400
    assert Attempt.objects.count() == 1


def test_submissions_past_the_rate_limit_are_refused_and_not_stored(learner_client, enrolled, reflection_url, settings):
    settings.TRAINING_ATTEMPTS_PER_MINUTE = 3
    answer = {"response": "I listened to the customer closely"}

    statuses = [learner_client.post(reflection_url, answer).status_code for _ in range(5)]

    assert statuses == [302, 302, 302, 429, 429]
    assert Attempt.objects.count() == 3
    assert "Wait a minute" in learner_client.post(reflection_url, answer).text


def test_the_rate_limit_is_per_learner(client, course, reflection_url, settings):
    settings.TRAINING_ATTEMPTS_PER_MINUTE = 1
    answer = {"response": "I listened to the customer closely"}
    for name in ("first", "second"):
        user = make_user(name)
        Enrollment.objects.enrol(user, course, source="self")
        client.force_login(user)
        assert client.post(reflection_url, answer).status_code == 302


def test_a_view_restriction_on_the_english_course_protects_its_persian_translation(client, course, fa):
    persian_course = translate(course, fa, title="گوش‌دادن")
    persian_lesson = translate(course.get_children().first().specific, fa, title="درس")
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    insiders = Group.objects.create(name="Front desk")
    restriction.groups.add(insiders)
    outsider, insider = make_user("outsider"), make_user("insider")
    insider.groups.add(insiders)

    client.force_login(outsider)
    for url in (course.url, persian_course.url, persian_lesson.url):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login/?next=" in response["Location"]

    client.force_login(insider)
    assert client.get(persian_course.url).status_code == 200


def test_a_view_restriction_on_the_persian_index_protects_english_courses(client, course, fa, index):
    persian_index = index.get_translation(fa)
    PageViewRestriction.objects.create(page=persian_index, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(course.url).status_code == 302
