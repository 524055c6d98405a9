"""The public verification page: each status, the file check, unknown codes, the rate limit."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates import issuing
from certificates.models import Certificate, new_code

from .conftest import complete


@pytest.fixture
def certificate(completion):
    return issuing.issue_for_completion(completion)


def page(client, certificate, language=""):
    prefix = f"/{language}" if language else ""
    return client.get(f"{prefix}/certificates/verify/{certificate.code}/")


def test_a_valid_certificate(client, certificate):
    response = page(client, certificate)

    assert response.status_code == 200
    assert response.context["status"] == Certificate.Status.VALID
    content = response.content.decode()
    assert "سارا رضایی" in content
    assert certificate.sha256 in content
    assert "Valid" in content


def test_in_persian_the_dates_are_jalali(client, certificate):
    response = page(client, certificate, "fa")

    content = response.content.decode()
    assert "معتبر" in content
    assert "۱۴۰" in content  # a Jalali year in Persian digits


def test_expiring_soon_and_expired(client, persian_learner, course):
    certificate = issuing.issue_for_completion(complete(persian_learner, course, valid_days=20))
    assert page(client, certificate).context["status"] == Certificate.Status.EXPIRING_SOON

    with time_machine.travel(timezone.now() + datetime.timedelta(days=21), tick=False):
        response = page(client, certificate)
    assert response.context["status"] == Certificate.Status.EXPIRED
    assert "Expired" in response.content.decode()


def test_superseded(client, persian_learner, course):
    old = issuing.issue_for_completion(complete(persian_learner, course, cycle=1, days_ago=400))
    issuing.issue_for_completion(complete(persian_learner, course, cycle=2))

    response = page(client, old)
    assert response.context["status"] == Certificate.Status.SUPERSEDED
    assert "replaced by a newer certificate" in response.content.decode()


def test_revoked_shows_the_date_and_reason(client, certificate):
    trainer = get_user_model().objects.create_user("trainer2")
    issuing.revoke(certificate, by=trainer, reason="Issued in error")

    response = page(client, certificate)
    assert response.context["status"] == Certificate.Status.REVOKED
    content = response.content.decode()
    assert "Revoked" in content
    assert "Issued in error" in content


def test_a_certificate_that_does_not_expire(client, persian_learner, course):
    certificate = issuing.issue_for_completion(complete(persian_learner, course, valid_days=None))
    response = page(client, certificate)
    assert response.context["status"] == Certificate.Status.VALID
    assert "does not expire" in response.content.decode()


def test_unknown_and_pending_codes_are_not_found(client, completion):
    assert client.get("/certificates/verify/not-a-real-code-at-all-000000000/").status_code == 404
    pending = Certificate.objects.create(
        completion=completion, holder_name="x", course_title="y", completed_on=datetime.date.today(), language="en"
    )
    assert client.get(f"/certificates/verify/{pending.code}/").status_code == 404


def test_the_form_sends_a_typed_code_to_its_page(client, certificate):
    response = client.get("/certificates/verify/", {"code": f"  {certificate.code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{certificate.code}/"
    assert client.get("/certificates/verify/").status_code == 200


def test_an_uploaded_pdf_is_checked_against_the_issued_file(client, certificate):
    issued = certificate.pdf.read()
    url = f"/certificates/verify/{certificate.code}/"

    same = client.post(url, {"file": SimpleUploadedFile("c.pdf", issued, "application/pdf")})
    altered = client.post(url, {"file": SimpleUploadedFile("c.pdf", issued + b"\n%", "application/pdf")})

    assert same.context["file_matches"] is True
    assert "exactly the certificate issued" in same.content.decode()
    assert altered.context["file_matches"] is False


def test_requests_are_rate_limited(client, certificate, settings):
    settings.TRAINING_CERTIFICATE_VERIFY_RATE = (3, 60)
    statuses = [page(client, certificate).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/certificates/verify/nope/").status_code == 429


def test_codes_are_long_random_and_distinct():
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 32 and code.replace("-", "").replace("_", "").isalnum() for code in codes)
