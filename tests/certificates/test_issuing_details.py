"""What the holder's email and a revocation record, detail by detail."""

import pytest
from django.core import mail
from django.utils import timezone

from certificates import issuing
from certificates.models import Certificate, CertificateEvent
from courses.testing import make_user

from .conftest import complete


@pytest.mark.parametrize(
    ("language", "subject", "opening"),
    [
        ("en", "Your certificate: Listening basics", "Congratulations on completing “Listening basics”."),
        ("fa", "گواهی شما: Listening basics", None),
    ],
)
def test_the_holder_gets_the_certificate_by_email_in_its_language(course, settings, language, subject, opening):
    settings.TRAINING_CERTIFICATE_EMAIL = True
    holder = make_user("holder", email="holder@example.com", profile={"preferred_language": language})

    certificate = issuing.issue_for_completion(complete(holder, course))

    (message,) = mail.outbox
    assert message.subject == subject
    if opening:
        assert message.body.startswith(opening)
    assert (
        f"http://testserver/{'fa/' if language == 'fa' else ''}certificates/verify/{certificate.code}/" in message.body
    )
    ((filename, content, mimetype),) = message.attachments
    assert filename == certificate.filename()
    assert mimetype == "application/pdf"
    assert content == certificate.pdf.open("rb").read()


def test_revoking_records_who_why_and_when_on_that_certificate_alone(completion, course):
    trainer = make_user("trainer")
    certificate = issuing.issue_for_completion(completion)
    other = issuing.issue_for_completion(complete(make_user("other"), course))

    issuing.revoke(certificate, by=trainer, reason="Exam fraud")

    certificate.refresh_from_db()
    assert (certificate.revoked_by, certificate.revocation_reason) == (trainer, "Exam fraud")
    assert Certificate.objects.get(pk=other.pk).revoked_at is None
    event = certificate.events.get(action=CertificateEvent.Action.REVOKED)
    assert event.at == certificate.revoked_at


def test_a_second_revocation_keeps_the_first(completion):
    first_by, second_by = make_user("first"), make_user("second")
    certificate = issuing.issue_for_completion(completion)
    issuing.revoke(certificate, by=first_by, reason="Exam fraud")
    revoked_at = certificate.revoked_at

    issuing.revoke(certificate, by=second_by, reason="Again")

    assert (certificate.revoked_at, certificate.revoked_by, certificate.revocation_reason) == (
        revoked_at,
        first_by,
        "Exam fraud",
    )
    assert certificate.events.filter(action=CertificateEvent.Action.REVOKED).count() == 1
    assert certificate.revoked_at <= timezone.now()


def test_only_completions_without_a_certificate_get_a_pending_one(completion, course):
    issued = issuing.issue_for_completion(completion)
    missing = [complete(make_user(name), course) for name in ("first", "second")]

    created = issuing.create_missing()

    assert created == 2
    assert list(completion.certificates.all()) == [issued]
    for record in missing:
        (pending,) = record.certificates.all()
        assert pending.status_on() == Certificate.Status.PENDING


def test_issuing_again_for_a_completion_gives_back_its_certificate(completion):
    first = issuing.issue_for_completion(completion)

    again = issuing.issue_for_completion(completion)

    assert again.pk == first.pk
    assert completion.certificates.count() == 1
