"""GET changes nothing: every page a learner or a trainer opens leaves every table as it was."""

import pytest

from courses.models import Enrollment
from courses.testing import quiz_answers
from tests.snapshots import changed_tables, database_rows


@pytest.fixture
def started(learner_client, course, learner, quiz):
    """A learner half-way: enrolled, the first lesson's quiz failed once."""
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first()
    learner_client.post(f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz, correct=False))
    return course


def learner_urls(course, quiz, reflection):
    first, second = course.get_children()
    return [
        "/",
        "/my-training/",
        "/fa/my-training/",
        course.url,
        f"{course.url}enrol/",
        f"{course.url}test-out/",
        first.url,
        f"{first.url}activities/{quiz.pk}/",
        f"{first.url}complete/",
        second.url,
        f"{second.url}activities/{reflection.pk}/",
        "/accounts/login/",
        "/accounts/logout/",
    ]


def test_a_learners_gets_change_nothing(learner_client, started, quiz, reflection):
    before = database_rows()

    for url in learner_urls(started, quiz, reflection):
        learner_client.get(url)

    assert changed_tables(before, database_rows()) == {}


def test_a_trainers_gets_in_the_admin_change_nothing(trainer_client, started):
    enrollment = Enrollment.objects.get()
    urls = [
        "/admin/",
        "/admin/enrollments/",
        f"/admin/enrollments/inspect/{enrollment.pk}/",
        f"/admin/enrollments/edit/{enrollment.pk}/",
        "/admin/staff_profiles/",
        "/admin/assignment_rules/",
        f"/admin/pages/{started.pk}/",
        f"/admin/pages/{started.pk}/edit/",
        f"/admin/training/courses/{started.pk}/apply-policy/",
    ]
    before = database_rows()

    statuses = {url: trainer_client.get(url).status_code for url in urls}

    assert set(statuses.values()) <= {200, 302, 403}, statuses
    assert changed_tables(before, database_rows()) == {}


@pytest.mark.parametrize("url", ["/admin/logout/", "/accounts/logout/"])
def test_a_get_to_a_logout_url_leaves_the_person_signed_in(trainer_client, url):
    response = trainer_client.get(url)

    assert response.status_code == 405
    assert trainer_client.get("/admin/").status_code == 200


def test_the_admin_logout_signs_out_on_post(trainer_client):
    trainer_client.post("/admin/logout/")

    assert trainer_client.get("/admin/").status_code == 302
