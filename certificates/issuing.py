"""Issuing certificates: how they are created, rendered, superseded, re-issued and revoked.

The contract:

- :func:`issue_for_completion` gives a completion its certificate: created *pending* with
  what it will say (names, title, dates, language, template version) if the completion has
  none yet, then rendered. A database constraint keeps it to one certificate per completion,
  however many times this runs at once. A refresher's certificate replaces the one before it.
- :func:`render_pending` renders a pending certificate, stores its PDF and SHA-256 and marks
  it issued, all or nothing. If rendering fails it stays pending with the error, and running
  this again retries it; if another worker issued it meanwhile, that one's file stands. On
  issue, the certificate it replaces is superseded, the issue is logged and (if
  ``TRAINING_CERTIFICATE_EMAIL`` is on) the PDF is emailed to its holder.
- :func:`reissue` (a trainer, after a name correction say) makes a new pending certificate of
  the same completion with today's names and template; :func:`revoke` revokes one with a reason.
  Both are logged with who and why. Nothing here changes what an issued certificate says.
- :func:`create_missing` gives every completion without a certificate a pending one (records
  made before the app was installed); ``certificates.tasks.queue_pending`` queues the rendering
  of every pending certificate, which is also the retry.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Avg, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates import rendering
from certificates.conf import get_setting
from certificates.models import Certificate, CertificateEvent, CertificateTemplate
from courses.models import Attempt, CourseCompletion, StaffProfile

logger = logging.getLogger(__name__)


def issue_for_completion(completion: CourseCompletion) -> Certificate:
    """The completion's certificate, created if need be and rendered if pending."""
    certificate = Certificate.objects.filter(completion=completion, is_reissue=False).first()
    if certificate is None:
        certificate = _create_pending(completion)
    if not certificate.is_issued:
        render_pending(certificate)
    return certificate


def _create_pending(completion: CourseCompletion) -> Certificate:
    certificate = Certificate(completion=completion, replaces=_current_certificate_before(completion))
    _write_contents(certificate)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Another worker created it first: that one is the certificate.
        return Certificate.objects.get(completion=completion, is_reissue=False)
    return certificate


def _current_certificate_before(completion: CourseCompletion) -> Certificate | None:
    """The newest certificate of the same enrolment's earlier cycles that nothing replaces yet."""
    return (
        Certificate.objects.filter(
            completion__enrollment_id=completion.enrollment_id,
            completion__cycle__lt=completion.cycle,
            replacement__isnull=True,
        )
        .order_by("-completion__cycle", "-created_at")
        .first()
    )


def _write_contents(certificate: Certificate) -> None:
    """Fill in what a new certificate will say, as things are now."""
    completion = certificate.completion
    enrollment = completion.enrollment
    user = enrollment.user
    profile = StaffProfile.objects.filter(user=user).first()
    certificate.language = _language_of(profile)
    titles = {
        page.locale.language_code: page.title
        for page in enrollment.course.get_translations(inclusive=True).live().select_related("locale")
    }
    certificate.printed_names = {
        code: {
            "name": profile.name_for(code) if profile else (user.get_full_name() or user.get_username()),
            "course": titles.get(code, enrollment.course.title),
        }
        for code, _name in settings.LANGUAGES
    }
    printed = certificate.printed_names[certificate.language]
    certificate.holder_name, certificate.course_title = printed["name"], printed["course"]
    certificate.completed_on = timezone.localdate(completion.completed_at)
    certificate.expires_on = completion.valid_until
    certificate.score = _score(completion)
    template = CertificateTemplate.objects.for_certificate(enrollment.course, certificate.language)
    if template is not None:
        certificate.template_revision = template.latest_revision or template.save_revision(log_action=False)


def _language_of(profile: StaffProfile | None) -> str:
    """The holder's preferred language, or the site's."""
    languages = dict(settings.LANGUAGES)
    if profile and profile.preferred_language in languages:
        return profile.preferred_language
    return settings.LANGUAGE_CODE


def _score(completion: CourseCompletion) -> int | None:
    """The mean of the best passing score of each activity in the completed cycle, in percent."""
    best = (
        Attempt.objects.filter(enrollment_id=completion.enrollment_id, cycle=completion.cycle, passed=True)
        .values("activity__translation_key")
        .annotate(best=Max("score"))
        .aggregate(mean=Avg("best"))["mean"]
    )
    return round(best) if best is not None else None


def verification_url(certificate: Certificate) -> str:
    """The public address of the certificate's verification page, in its language."""
    base = (get_setting("CERTIFICATE_BASE_URL") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    with translation.override(certificate.language):
        return base + reverse("certificates:verify", args=[certificate.code])


def content_of(certificate: Certificate) -> rendering.CertificateContent:
    return rendering.CertificateContent(
        code=certificate.code,
        verification_url=verification_url(certificate),
        completed_on=certificate.completed_on,
        expires_on=certificate.expires_on,
        score=certificate.score,
        language=certificate.language,
        printed_names=certificate.printed_names,
    )


def render_pending(certificate: Certificate) -> bool:
    """Render a pending certificate and issue it; return whether it is issued now. A failure is recorded
    on the certificate, which stays pending."""
    try:
        pdf = rendering.render(certificate.template(), content_of(certificate))
    except Exception as error:
        logger.exception("Certificate %s could not be rendered", certificate.pk)
        Certificate.objects.filter(pk=certificate.pk, state=Certificate.State.PENDING).update(
            error=f"{type(error).__name__}: {error}"
        )
        certificate.error = f"{type(error).__name__}: {error}"
        return False

    storage = certificate.pdf.storage
    name = storage.save(f"{get_setting('CERTIFICATE_FOLDER')}/{certificate.code}.pdf", ContentFile(pdf))
    now = timezone.now()
    with transaction.atomic():
        issued = Certificate.objects.filter(pk=certificate.pk, state=Certificate.State.PENDING).update(
            state=Certificate.State.ISSUED,
            pdf=name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            issued_at=now,
            error="",
        )
        if issued:
            if certificate.replaces_id:
                Certificate.objects.filter(pk=certificate.replaces_id, superseded_at__isnull=True).update(
                    superseded_at=now
                )
            if not certificate.is_reissue:
                CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.ISSUED, at=now)
    if not issued:
        # Another worker issued it first; its file is the certificate.
        storage.delete(name)
        certificate.refresh_from_db()
        return certificate.is_issued
    certificate.refresh_from_db()
    if get_setting("CERTIFICATE_EMAIL"):
        email_to_holder(certificate, pdf)
    return True


def email_to_holder(certificate: Certificate, pdf: bytes) -> None:
    """Send the holder their certificate, in its language, if they have an email address."""
    holder = certificate.holder
    if not holder.email:
        return
    with translation.override(certificate.language):
        message = EmailMessage(
            subject=gettext("Your certificate: %(course)s") % {"course": certificate.course_title},
            body=gettext(
                "Congratulations on completing “%(course)s”. Your certificate is attached.\n\n"
                "Anyone can check it at %(url)s"
            )
            % {"course": certificate.course_title, "url": verification_url(certificate)},
            to=[holder.email],
        )
    message.attach(certificate.filename(), pdf, "application/pdf")
    message.send()


def reissue(certificate: Certificate, by: AbstractBaseUser, reason: str) -> Certificate:
    """A new certificate of the same completion, with today's names and template, that will supersede
    ``certificate`` once issued. The caller queues its rendering."""
    with transaction.atomic():
        replaced = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if Certificate.objects.filter(replaces=replaced).exists():
            raise CertificateAlreadyReplaced(replaced)
        new = Certificate(completion=replaced.completion, replaces=replaced, is_reissue=True)
        _write_contents(new)
        new.save()
        CertificateEvent.objects.create(
            certificate=new, action=CertificateEvent.Action.REISSUED, actor=by, reason=reason
        )
    return new


def revoke(certificate: Certificate, by: AbstractBaseUser, reason: str) -> None:
    """Revoke ``certificate`` for ``reason``; the verification page says so from now on."""
    now = timezone.now()
    with transaction.atomic():
        revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revocation_reason=reason
        )
        if revoked:
            CertificateEvent.objects.create(
                certificate=certificate, action=CertificateEvent.Action.REVOKED, actor=by, reason=reason, at=now
            )
    certificate.refresh_from_db()


class CertificateAlreadyReplaced(Exception):
    """The certificate has been re-issued (or superseded by a refresher's) already."""


def create_missing() -> int:
    """Give each completion without a certificate a pending one (records made before the app was
    installed, say); return how many. Their rendering is queued with the other pending ones."""
    missing = CourseCompletion.objects.filter(certificates__isnull=True).order_by("enrollment_id", "cycle")
    created = 0
    for completion in missing.select_related("enrollment__course", "enrollment__user"):
        _create_pending(completion)
        created += 1
    return created
