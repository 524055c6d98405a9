"""Who may download what: learners their own, trainers in bulk, managers their team's."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from certificates import issuing
from courses.models import Cycle, Enrollment
from courses.roles import set_up_roles
from courses.testing import make_course, make_user

from .conftest import complete


@pytest.fixture
def certificate(completion):
    return issuing.issue_for_completion(completion)


def test_learners_download_their_own_certificate(client, certificate, persian_learner):
    client.force_login(persian_learner)
    response = client.get(f"/certificates/{certificate.code}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == certificate.pdf.read()


def test_another_learners_certificate_is_not_found(client, certificate, english_learner):
    client.force_login(english_learner)
    assert client.get(f"/certificates/{certificate.code}/download/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, certificate):
    response = client.get(f"/certificates/{certificate.code}/download/")
    assert response.status_code == 302


def test_the_course_page_lists_current_and_past_certificates(client, persian_learner, course):
    old = issuing.issue_for_completion(complete(persian_learner, course, cycle=1, days_ago=400))
    new = issuing.issue_for_completion(complete(persian_learner, course, cycle=2))
    client.force_login(persian_learner)

    content = client.get(course.url).content.decode()
    assert f"/certificates/{new.code}/download/" in content
    assert f"/certificates/{old.code}/download/" in content
    assert "Superseded" in content
    assert "Valid" in content


def test_the_dashboard_lists_each_courses_current_certificate_only(client, persian_learner, course, index):
    old = issuing.issue_for_completion(complete(persian_learner, course, cycle=1, days_ago=400))
    new = issuing.issue_for_completion(complete(persian_learner, course, cycle=2))
    expired = issuing.issue_for_completion(complete(persian_learner, make_course(index, "Other"), days_ago=800))
    client.force_login(persian_learner)

    content = client.get("/my-training/").content.decode()
    assert f"/certificates/{new.code}/download/" in content
    assert f"/certificates/{expired.code}/download/" in content
    assert f"/certificates/{old.code}/download/" not in content
    assert "Superseded" not in content
    assert "Expired" in content


def test_a_refresher_in_progress_still_shows_the_last_cycles_certificate(client, persian_learner, course):
    certificate = issuing.issue_for_completion(complete(persian_learner, course, cycle=1, days_ago=400))
    enrollment = certificate.completion.enrollment
    Cycle.objects.create(enrollment=enrollment, number=2, is_refresher=True, opened_on=timezone.localdate())
    Enrollment.objects.filter(pk=enrollment.pk).update(cycle=2)
    client.force_login(persian_learner)

    assert f"/certificates/{certificate.code}/download/" in client.get(course.url).content.decode()


def test_trainers_download_a_zip_filtered_by_course(trainer_client, certificate, english_learner, index):
    other_course = make_course(index, "Another course")
    issuing.issue_for_completion(complete(english_learner, other_course))

    response = trainer_client.get("/admin/certificates/zip/", {"course": certificate.completion.enrollment.course_id})

    assert response.status_code == 200
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = archive.namelist()
    assert certificate.code[:8] in name
    assert archive.read(name) == certificate.pdf.read()


def test_the_zip_is_refused_to_learners(client, certificate, persian_learner, english_learner):
    for user in (persian_learner, english_learner):
        client.force_login(user)
        response = client.get("/admin/certificates/zip/")
        assert response.status_code in (302, 403)
        assert not response.get("Content-Type", "").startswith("application/zip")


def test_a_managers_zip_and_register_hold_only_their_team(client, certificate, english_learner, course):
    groups = set_up_roles()
    manager = make_user("boss")
    manager.groups.add(groups["Managers"])
    english_learner.staff_profile.manager = manager
    english_learner.staff_profile.save()
    theirs = issuing.issue_for_completion(complete(english_learner, course))
    client.force_login(manager)

    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/admin/certificates/zip/").streaming_content)))
    register = client.get("/admin/certificates/").content.decode()

    assert [theirs.code[:8] in name for name in archive.namelist()] == [True]
    assert "Tom Baker" in register
    assert "سارا رضایی" not in register
    assert client.get(f"/admin/certificates/{certificate.pk}/").status_code == 404


def test_revoking_needs_the_permission(certificate, trainer_client):
    manager = make_user("boss2")
    manager.groups.add(Group.objects.get(name="Managers"))
    client = Client()
    client.force_login(manager)
    client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"revoke-reason": "x"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    response = trainer_client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"revoke-reason": "Fraud"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Fraud"
