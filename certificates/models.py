"""Certificates: the templates trainers design, the certificates issued from them, and their audit log.

A :class:`Certificate` is written once. It is created *pending* when a completion is
recorded, with the holder's name, the course title and the dates as they are then;
rendering stores its PDF and the file's SHA-256 and makes it *issued*. From then on
nothing printed on it changes: only what happens to it later (superseded by a newer
certificate, revoked) is recorded beside it. See ``certificates/issuing.py``.
"""

from __future__ import annotations

import datetime
import secrets
import string
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Case, Q, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin, Revision, RevisionMixin

from certificates.conf import get_setting
from certificates.rendering import render_sample
from courses.models import CourseCompletion, CoursePage, Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


#: Random bytes in a verification code: 192 bits, 32 URL-safe characters.
CODE_BYTES = 24

#: The placeholders a template's text may use, and what each stands for.
PLACEHOLDERS = {
    "name": _("the holder's name"),
    "course": _("the course title"),
    "completed": _("the completion date"),
    "expires": _("the expiry date"),
    "score": _("the score, in percent"),
    "code": _("the verification code"),
}


def new_code() -> str:
    """A fresh verification code: random, URL-safe, too long to guess or enumerate."""
    return secrets.token_urlsafe(CODE_BYTES)


def certificate_storage():
    return storages[get_setting("CERTIFICATE_STORAGE")]


def validate_placeholders(text: str) -> None:
    """Refuse text with a placeholder that does not exist or braces that do not pair."""
    try:
        fields = [field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None]
    except ValueError as error:
        raise ValidationError(
            _("Braces must pair: write {{ and }} for a literal brace (%(error)s)."), params={"error": error}
        ) from error
    unknown = sorted(set(fields) - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use %(known)s."),
            params={"unknown": ", ".join(f"{{{name}}}" for name in unknown), "known": placeholder_list()},
        )


def placeholder_list() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


class CertificateTemplateQuerySet(models.QuerySet):
    def for_certificate(self, course: CoursePage, language: str) -> CertificateTemplate | None:
        """The template to issue a certificate of ``course`` in ``language`` with: the course's own before the
        general ones, one in that language before one in both, the most recently made first."""
        return (
            self.filter(Q(course__translation_key=course.translation_key) | Q(course=None))
            .filter(language__in=[language, CertificateTemplate.Language.BOTH])
            .order_by(
                models.F("course").asc(nulls_last=True),
                Case(When(language=language, then=Value(0)), default=Value(1)),
                "-pk",
            )
            .first()
        )


class CertificateTemplate(PreviewableMixin, RevisionMixin, models.Model):
    """The design of a certificate, edited by trainers. Each saved change is a new revision; a certificate
    records the revision it was issued with and keeps the PDF made from it."""

    class Language(models.TextChoices):
        PERSIAN = "fa", _("Persian")
        ENGLISH = "en", _("English")
        BOTH = "both", _("Persian and English, side by side")

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    name = models.CharField(_("name"), max_length=100, help_text=_("For trainers; not printed."))
    language = models.CharField(_("language"), max_length=4, choices=Language, default=Language.BOTH)
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
        help_text=_("Only for this course. Empty: for every course without a template of its own."),
    )
    title_fa = models.CharField(_("title in Persian"), max_length=150, blank=True)
    body_fa = models.TextField(_("text in Persian"), blank=True, validators=[validate_placeholders])
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    body_en = models.TextField(_("text in English"), blank=True, validators=[validate_placeholders])
    orientation = models.CharField(_("orientation"), max_length=10, choices=Orientation, default=Orientation.LANDSCAPE)
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("background image"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=150, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    objects = CertificateTemplateQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("orientation")]),
        FieldPanel("course"),
        MultiFieldPanel([FieldPanel("title_fa"), FieldPanel("body_fa")], heading=_("Persian")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
        MultiFieldPanel(
            [FieldPanel("background_image"), FieldPanel("logo")],
            heading=_("Images"),
        ),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_title"), FieldPanel("signature_image")],
            heading=_("Signatory"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def built_in(cls, language: str) -> CertificateTemplate:
        """The design used while trainers have made none for a course and language (not saved)."""
        return cls(
            name=str(_("Built-in template")),
            language=language if language in cls.Language.values else cls.Language.ENGLISH,
            title_fa="گواهی پایان دوره",
            body_fa="گواهی می‌شود که {name} دورهٔ «{course}» را در تاریخ {completed} با موفقیت به پایان رسانده است.",
            title_en="Certificate of completion",
            body_en="This is to certify that {name} successfully completed the course “{course}” on {completed}.",
        )

    def clean(self) -> None:
        super().clean()
        required = {
            self.Language.PERSIAN: ["title_fa", "body_fa"],
            self.Language.ENGLISH: ["title_en", "body_en"],
            self.Language.BOTH: ["title_fa", "body_fa", "title_en", "body_en"],
        }[self.language]
        missing = {
            field: _("A template in this language needs this.") for field in required if not getattr(self, field)
        }
        if missing:
            raise ValidationError(missing)

    def sides(self, certificate_language: str) -> list[str]:
        """The languages printed, in reading order of the page: one, or Persian and English side by side."""
        if self.language == self.Language.BOTH:
            return ["fa", "en"]
        return [self.language or certificate_language]

    def text(self, language: str) -> tuple[str, str]:
        """The title and the text with placeholders, in ``language``."""
        return (self.title_fa, self.body_fa) if language == "fa" else (self.title_en, self.body_en)

    @property
    def preview_modes(self):
        return [("", _("PDF with sample data"))]

    def serve_preview(self, request, mode_name):
        response = HttpResponse(render_sample(self), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response


class CertificateQuerySet(models.QuerySet):
    def issued(self) -> CertificateQuerySet:
        return self.filter(state=Certificate.State.ISSUED)

    def pending(self) -> CertificateQuerySet:
        return self.filter(state=Certificate.State.PENDING)

    def current(self) -> CertificateQuerySet:
        """Those no newer certificate has superseded (whatever their status otherwise)."""
        return self.filter(superseded_at__isnull=True)

    def held_by(self, user: AbstractBaseUser) -> CertificateQuerySet:
        """The certificates of ``user`` (none for an anonymous visitor)."""
        return self.filter(completion__enrollment__user=user) if user.is_authenticated else self.none()

    def visible_to(self, user: AbstractBaseUser) -> CertificateQuerySet:
        """What ``user`` may see in the admin: the certificates of the enrolments they may see
        (``Enrollment.objects.visible_to``): everyone's for trainers, their team's for managers."""
        if user.has_perm("courses.change_enrollment"):
            return self
        return self.filter(completion__enrollment__in=Enrollment.objects.visible_to(user))

    def for_course(self, course: CoursePage) -> CertificateQuerySet:
        """Certificates of ``course``, whichever of its translations the holder enrolled through."""
        return self.filter(completion__enrollment__course__translation_key=course.translation_key)

    def with_status(self, on: datetime.date | None = None) -> CertificateQuerySet:
        """Annotate ``status`` (a :class:`Certificate.Status`) as it stands on ``on`` (today)."""
        on = on or timezone.localdate()
        soon = on + datetime.timedelta(days=get_setting("CERTIFICATE_EXPIRING_SOON_DAYS"))
        return self.annotate(
            status=Case(
                When(state=Certificate.State.PENDING, then=Value(Certificate.Status.PENDING)),
                When(revoked_at__isnull=False, then=Value(Certificate.Status.REVOKED)),
                When(superseded_at__isnull=False, then=Value(Certificate.Status.SUPERSEDED)),
                When(expires_on__lt=on, then=Value(Certificate.Status.EXPIRED)),
                When(expires_on__lte=soon, then=Value(Certificate.Status.EXPIRING_SOON)),
                default=Value(Certificate.Status.VALID),
            )
        )


class CertificateChanged(Exception):
    """Something tried to change what an issued certificate says."""


class Certificate(models.Model):
    """A certificate of one course completion: what it says, frozen when issued, and its PDF.

    A completion has one certificate issued for it automatically (a database constraint
    holds that); a trainer's re-issue adds another that ``replaces`` it. Either way the
    newer certificate supersedes the older once it is issued.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ISSUED = "issued", _("Issued")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VALID = "valid", _("Valid")
        EXPIRING_SOON = "expiring_soon", _("Expiring soon")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    #: What may still be written on an issued certificate: what happened to it afterwards.
    AFTER_ISSUE_FIELDS = frozenset({"superseded_at", "revoked_at", "revoked_by", "revocation_reason"})

    completion = models.ForeignKey(
        CourseCompletion, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("completion")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacement",
        verbose_name=_("replaces"),
    )
    is_reissue = models.BooleanField(_("re-issued by a trainer"), default=False)
    code = models.CharField(_("verification code"), max_length=64, unique=True, default=new_code, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    error = models.TextField(_("last rendering error"), blank=True)
    holder_name = models.CharField(_("holder's name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=255)
    # The name and course title in each language, as printed: {"fa": {"name": ..., "course": ...}, "en": ...}.
    printed_names = models.JSONField(_("names as printed"), default=dict, editable=False)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    template_revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template version"),
        help_text=_("Empty: the built-in template."),
    )
    pdf = models.FileField(_("PDF file"), storage=certificate_storage, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["completion"], condition=Q(is_reissue=False), name="one_certificate_per_completion"
            )
        ]
        indexes = [
            # The register, newest first, pages through this.
            models.Index(fields=["created_at"], name="certificate_created_idx"),
            # Only the few pending ones (the retry finds them): an index on the state of every certificate would
            # be taken for a learner's "issued" ones, which a database without statistics (SQLite) then reads
            # from the whole table rather than from the learner's enrolments.
            models.Index(fields=["created_at"], condition=Q(state="pending"), name="certificate_pending_idx"),
        ]
        permissions = [
            ("revoke_certificate", _("Can revoke certificates")),
            ("reissue_certificate", _("Can re-issue certificates")),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.course_title}"

    def save(self, *args, **kwargs) -> None:
        """Save; on an issued certificate, only what happened to it afterwards may be written."""
        update_fields = kwargs.get("update_fields")
        changes_contents = update_fields is None or not set(update_fields) <= self.AFTER_ISSUE_FIELDS
        if self.pk and changes_contents and Certificate.objects.filter(pk=self.pk, state=self.State.ISSUED).exists():
            raise CertificateChanged(f"Certificate {self.pk} is issued and cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def holder(self) -> AbstractBaseUser:
        return self.completion.enrollment.user

    @property
    def name_fell_back(self) -> bool:
        """Whether the profile had the name in only one script, so that one is printed in every language."""
        names = [printed.get("name") for printed in self.printed_names.values()]
        return len(names) > 1 and len(set(names)) == 1

    def status_on(self, on: datetime.date | None = None) -> Certificate.Status:
        """Where this certificate stands on ``on`` (today); the same rules as ``with_status``."""
        on = on or timezone.localdate()
        if not self.is_issued:
            return self.Status.PENDING
        if self.revoked_at:
            return self.Status.REVOKED
        if self.superseded_at:
            return self.Status.SUPERSEDED
        if self.expires_on and self.expires_on < on:
            return self.Status.EXPIRED
        soon = on + datetime.timedelta(days=get_setting("CERTIFICATE_EXPIRING_SOON_DAYS"))
        if self.expires_on and self.expires_on <= soon:
            return self.Status.EXPIRING_SOON
        return self.Status.VALID

    @property
    def status(self) -> Certificate.Status:
        return self.Status(self.__dict__.get("status") or self.status_on())

    @status.setter
    def status(self, value: str) -> None:
        # Set by ``with_status``.
        self.__dict__["status"] = value

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def template(self) -> CertificateTemplate:
        """The template version this certificate is (or will be) rendered with."""
        if self.template_revision is None:
            return CertificateTemplate.built_in(self.language)
        return self.template_revision.as_object()

    def filename(self) -> str:
        return f"certificate-{self.completed_on.isoformat()}-{self.code[:8]}.pdf"


class CertificateEvent(models.Model):
    """The audit log: a certificate was issued, re-issued or revoked, by whom (nobody: automatically),
    when and why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REISSUED = "reissued", _("Re-issued")
        REVOKED = "revoked", _("Revoked")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("certificate")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.action} {self.at:%Y-%m-%d}"
