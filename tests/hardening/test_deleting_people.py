"""Training records are compliance evidence: deleting a person who has them is refused, with the way out."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage import default_storage
from django.db.models import ProtectedError

from courses.models import Attempt, Enrollment
from courses.testing import make_user, quiz_answers
from courses.wagtail_hooks import keep_people_with_training_records_in_bulk


@pytest.fixture
def trained(course, quiz):
    person = make_user("leaver", first_name="Lea", last_name="Ver")
    enrollment = Enrollment.objects.enrol(person, course, source="self")[0]
    return person, enrollment


def test_the_admin_refuses_to_delete_a_person_with_training_records_and_says_why(admin_client, trained):
    person, _enrollment = trained
    url = f"/admin/users/delete/{person.pk}/"

    confirm = admin_client.get(url)
    response = admin_client.post(url)

    for refusal in (confirm, response):
        assert refusal.status_code == 302
        assert refusal["Location"] == f"/admin/users/edit/{person.pk}/"
    listing = admin_client.get("/admin/users/").text
    assert "Lea Ver has training records" in listing
    assert "Deactivate it instead" in listing
    assert get_user_model().objects.filter(pk=person.pk).exists()
    assert Enrollment.objects.filter(user=person).exists()


def test_the_admins_bulk_delete_refuses_people_with_training_records(rf, admin_user, trained):
    # Called as Wagtail's bulk delete calls it: a client-driven test of the bulk view depends on
    # which admin views earlier tests in the process visited.
    person, _enrollment = trained
    stranger = make_user("stranger")
    request = rf.post("/admin/bulk/auth/user/delete/")
    request.user, request.session = admin_user, {}
    request._messages = default_storage(request)
    action = SimpleNamespace(next_url="/admin/users/")

    response = keep_people_with_training_records_in_bulk(request, "delete", [person, stranger], action)

    assert response.status_code == 302
    assert response["Location"] == "/admin/users/"
    assert [str(message) for message in request._messages] == [
        "These people have training records, which are kept as evidence, so their accounts cannot be deleted; "
        "deactivate them instead: Lea Ver."
    ]
    assert keep_people_with_training_records_in_bulk(request, "delete", [stranger], action) is None


def test_a_person_without_training_records_can_be_deleted(admin_client, index):
    person = make_user("typo")

    admin_client.post(f"/admin/users/delete/{person.pk}/")

    assert not get_user_model().objects.filter(pk=person.pk).exists()


def test_the_database_keeps_the_records_whatever_deletes_the_account(learner_client, course, learner, quiz):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first()
    learner_client.post(f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz))

    with pytest.raises(ProtectedError):
        learner.delete()
    assert Attempt.objects.count() == 1


def test_a_deactivated_person_keeps_their_records_and_cannot_log_in(client, trained):
    person, enrollment = trained
    person.is_active = False
    person.save()

    response = client.post("/accounts/login/", {"username": "leaver", "password": "leaver"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
