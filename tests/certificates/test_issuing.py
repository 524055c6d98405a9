"""Issuing: one certificate per completion, immutable once issued, superseded by newer ones, retried."""

import hashlib
import threading
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from certificates import issuing
from certificates.models import Certificate, CertificateChanged, CertificateEvent, CertificateTemplate
from courses.models import Enrollment, StaffProfile
from courses.progress import LessonVisit, record_attempt
from courses.refreshers import run_sweep
from courses.testing import make_user, query_dict, quiz_answers

from .conftest import complete


def test_completing_a_course_issues_a_persian_certificate(
    course, persian_learner, quiz, reflection, django_capture_on_commit_callbacks
):
    Enrollment.objects.enrol(persian_learner, course, source=Enrollment.Source.SELF)
    lessons = [lesson.specific for lesson in course.get_children()]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson, activity, data in [
            (lessons[0], quiz, quiz_answers(quiz)),
            (lessons[1], reflection, {"response": "I listened and then I helped"}),
        ]:
            visit = LessonVisit.start(persian_learner, lesson)
            answers = activity.clean_submission(query_dict(data))
            record_attempt(visit, activity, answers, activity.grade(answers, visit.pass_mark))

    certificate = Certificate.objects.get()
    assert certificate.is_issued
    assert certificate.language == "fa"
    assert certificate.holder_name == "سارا رضایی"
    assert certificate.printed_names["en"]["name"] == "Sara Rezaei"
    assert certificate.course_title == course.title
    assert certificate.score == 100
    assert len(certificate.code) >= 22  # at least 128 random bits, URL-safe
    assert certificate.pdf.read().startswith(b"%PDF")
    certificate.pdf.seek(0)
    assert certificate.sha256 == hashlib.sha256(certificate.pdf.read()).hexdigest()
    assert list(certificate.events.values_list("action", "actor")) == [(CertificateEvent.Action.ISSUED, None)]


def test_the_language_defaults_to_the_sites(course, settings):
    settings.LANGUAGE_CODE = "fa"
    certificate = issuing.issue_for_completion(complete(make_user("nobody", first_name="No", last_name="Body"), course))

    assert certificate.language == "fa"


def test_an_issued_certificate_does_not_change_with_its_template_or_the_holders_name(completion, persian_learner):
    template = CertificateTemplate.objects.create(
        name="Ours", language="fa", title_fa="گواهی", body_fa="{name} — {course} — {completed}"
    )
    template.save_revision()
    certificate = issuing.issue_for_completion(completion)
    pdf, digest = certificate.pdf.read(), certificate.sha256

    template.body_fa = "متن تازه {name}"
    template.save()
    template.save_revision()
    StaffProfile.objects.filter(user=persian_learner).update(persian_name="نام دیگر")
    issuing.issue_for_completion(completion)

    certificate.refresh_from_db()
    assert (certificate.pdf.read(), certificate.sha256, certificate.holder_name) == (pdf, digest, "سارا رضایی")
    assert certificate.template_revision.as_object().body_fa == "{name} — {course} — {completed}"
    certificate.holder_name = "نام دیگر"
    with pytest.raises(CertificateChanged):
        certificate.save()


def test_a_reissue_supersedes_and_is_logged(completion, persian_learner, trainer_client):
    trainer = get_user_model().objects.get(username="trainer")
    first = issuing.issue_for_completion(completion)
    StaffProfile.objects.filter(user=persian_learner).update(persian_name="سارا رضائی")

    second = issuing.reissue(first, by=trainer, reason="Name corrected")
    assert first.status_on() == Certificate.Status.VALID  # until the new one is issued
    assert issuing.render_pending(second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status_on() == Certificate.Status.SUPERSEDED
    assert second.status_on() == Certificate.Status.VALID
    assert second.holder_name == "سارا رضائی"
    assert second.code != first.code
    assert second.sha256 != first.sha256
    event = second.events.get()
    assert (event.action, event.actor, event.reason) == ("reissued", trainer, "Name corrected")
    with pytest.raises(issuing.CertificateAlreadyReplaced):
        issuing.reissue(first, by=trainer, reason="again")


def test_a_refresher_completion_supersedes_the_previous_certificate(persian_learner, course):
    first = issuing.issue_for_completion(complete(persian_learner, course, cycle=1, days_ago=400))
    second = issuing.issue_for_completion(complete(persian_learner, course, cycle=2))

    first.refresh_from_db()
    assert second.replaces == first
    assert first.status_on() == Certificate.Status.SUPERSEDED
    assert second.status_on() == Certificate.Status.VALID


def test_a_render_failure_leaves_it_pending_and_a_retry_issues_it(completion):
    with mock.patch("certificates.rendering.HTML.write_pdf", side_effect=RuntimeError("Pango fell over")):
        certificate = issuing.issue_for_completion(completion)

    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.PENDING
    assert "Pango fell over" in certificate.error
    assert not certificate.pdf

    call_command("issue_certificates", stdout=None)  # the test settings run queued tasks at once

    certificate.refresh_from_db()
    assert certificate.is_issued
    assert certificate.error == ""
    assert Certificate.objects.count() == 1


def test_the_daily_sweep_retries_a_certificate_whose_rendering_failed(completion):
    with mock.patch("certificates.rendering.HTML.write_pdf", side_effect=RuntimeError("Pango fell over")):
        certificate = issuing.issue_for_completion(completion)
        run_sweep()  # still failing: it stays pending, with its error
    certificate.refresh_from_db()
    assert (certificate.state, certificate.error) == (Certificate.State.PENDING, "RuntimeError: Pango fell over")

    run_sweep()

    certificate.refresh_from_db()
    assert certificate.is_issued
    assert Certificate.objects.count() == 1


def test_issuing_twice_for_one_completion_gives_one_certificate(completion):
    first = issuing.issue_for_completion(completion)
    second = issuing.issue_for_completion(completion)

    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_for_one_completion_give_one_certificate(index, persian_learner, course):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    completion = complete(persian_learner, course)
    barrier = threading.Barrier(2)
    errors = []

    def issue():
        try:
            barrier.wait()
            issuing.issue_for_completion(completion)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().is_issued


def test_the_database_refuses_a_second_certificate_for_a_completion(completion):
    issuing.issue_for_completion(completion)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            completion=completion,
            holder_name="x",
            course_title="y",
            completed_on=completion.completed_at,
            language="en",
        )


def test_the_certificate_is_emailed_when_the_setting_is_on(completion, settings):
    settings.TRAINING_CERTIFICATE_EMAIL = True
    issuing.issue_for_completion(completion)

    (message,) = mail.outbox
    assert message.to == ["sara@example.com"]
    assert message.attachments[0][2] == "application/pdf"


def test_no_email_by_default(completion):
    issuing.issue_for_completion(completion)
    assert mail.outbox == []


def test_revocation_is_logged_with_who_and_why(completion, trainer_client):
    trainer = get_user_model().objects.get(username="trainer")
    certificate = issuing.issue_for_completion(completion)
    issuing.revoke(certificate, by=trainer, reason="Exam fraud")

    assert certificate.status_on() == Certificate.Status.REVOKED
    assert certificate.events.filter(action="revoked", actor=trainer, reason="Exam fraud").exists()


def test_a_missing_persian_name_falls_back_to_the_latin_one_visibly(course, trainer_client):
    user = make_user("ali", first_name="Ali", last_name="Rad", profile={"preferred_language": "fa"})
    certificate = issuing.issue_for_completion(complete(user, course))

    assert certificate.holder_name == "Ali Rad"
    assert certificate.name_fell_back
    page = trainer_client.get(f"/admin/certificates/{certificate.pk}/").content.decode()
    assert "in one script only" in page
