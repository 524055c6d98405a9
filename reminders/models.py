"""Reminder records: the messages queued and sent, per-course schedules, the wording trainers edit,
and each learner's private calendar feed."""

from __future__ import annotations

import datetime
import secrets
import string
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin

from reminders.rendering import sample_message
from reminders.schedule import Kind, Schedule

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class ReminderSchedule(models.Model):
    """A course's own reminder schedule, in place of ``TRAINING_REMINDER_SCHEDULE``."""

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="reminder_schedule",
        verbose_name=_("course"),
        help_text=_("The schedule applies to the course in every language."),
    )
    days_before = models.CharField(
        _("days before the due date"),
        max_length=100,
        default="30, 14, 7, 1",
        help_text=_("Days before the due date on which the learner is reminded, separated by commas."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(_("while overdue, every (days)"), default=7)
    overdue_limit = models.PositiveSmallIntegerField(_("at most this many overdue reminders"), default=4)
    copy_manager = models.BooleanField(_("copy to the manager on the due day"), default=True)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate to the manager's manager after (days overdue)"),
        default=14,
        help_text=_("0: never escalate."),
    )

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")

    def __str__(self) -> str:
        return str(self.course)

    def clean(self) -> None:
        try:
            self.day_list()
        except ValueError:
            raise ValidationError(
                {"days_before": _("Write whole numbers of days separated by commas, for example: 30, 14, 7, 1.")}
            ) from None
        if self.course_id and self.course.canonical_id != self.course_id:
            raise ValidationError({"course": _("Choose the course in its original language.")})

    def day_list(self) -> tuple[int, ...]:
        days = tuple(int(part) for part in self.days_before.replace("،", ",").split(",") if part.strip())
        if any(day < 0 for day in days):
            raise ValueError(days)
        return days

    def schedule(self) -> Schedule:
        return Schedule(
            days_before=self.day_list(),
            overdue_every_days=self.overdue_every_days,
            overdue_limit=self.overdue_limit,
            copy_manager=self.copy_manager,
            escalate_after_days=self.escalate_after_days,
        )


class ReminderQuerySet(models.QuerySet):
    def ready_to_send(self, now: datetime.datetime | None = None) -> ReminderQuerySet:
        """Queued reminders whose time has come (first try, or the back-off after a failure has passed)."""
        return self.filter(state=Reminder.State.QUEUED, next_attempt_at__lte=now or timezone.now())

    def notifications_for(self, user: AbstractBaseUser) -> ReminderQuerySet:
        """The in-app notifications of ``user``: their reminders of every kind but digests, newest first."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(recipient=user, send_on__lte=timezone.localdate())
            .exclude(kind=Kind.DIGEST)
            .exclude(state=Reminder.State.SKIPPED)
            .order_by("-send_on", "-pk")
        )

    def unread(self) -> ReminderQuerySet:
        return self.filter(read_at__isnull=True)


class Reminder(models.Model):
    """One message to one person about one cycle (or a manager's weekly digest), sent by email and shown in-app.

    The sweep queues it; a task worker sends it. At most one exists per (cycle, step, recipient), and one
    digest per manager and week: database constraints hold it, so sweeps never queue a message twice.
    The cycle and the recipient are not foreign keys in the database: the sweep queues a hundred thousand rows
    on a busy day, and checking two keys for each costs more than writing it. Deleting a cycle or an account
    through the models still deletes its reminders, and sending skips a reminder whose cycle is gone.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed any more")

    cycle = models.ForeignKey(
        "courses.Cycle",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("cycle"),
        db_index=False,  # unique_reminder_per_step starts with it
        db_constraint=False,
    )
    step = models.CharField(_("step"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
        db_index=False,  # reminder_unread starts with it
        db_constraint=False,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    send_on = models.DateField(_("for the day"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-send_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step", "recipient"], name="unique_reminder_per_step"),
            models.UniqueConstraint(
                fields=["step", "recipient"], condition=Q(cycle__isnull=True), name="unique_digest_per_week"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="reminder_to_send"),
            models.Index(fields=["recipient", "read_at"], name="reminder_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.send_on})"

    @property
    def course(self):
        """The course the reminder is about (none for a digest)."""
        return self.cycle.enrollment.course if self.cycle_id else None

    def state_description(self) -> str:
        """The state, with the reason of the last failure when there is one."""
        if self.last_error and self.state != self.State.SENT:
            return _("%(state)s (attempt %(attempts)s failed: %(error)s)") % {
                "state": self.get_state_display(),
                "attempts": self.attempts,
                "error": self.last_error,
            }
        return self.get_state_display()

    def resend(self) -> None:
        """Queue this reminder again, to go out with the next run of the sender."""
        self.state = self.State.QUEUED
        self.attempts = 0
        self.last_error = ""
        self.next_attempt_at = timezone.now()
        self.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])


#: The placeholders each kind's wording may use. Every kind has {name} (the recipient), {site} and {link}.
PLACEHOLDERS = {
    Kind.BEFORE_DUE: ["course", "due_date", "days"],
    Kind.DUE_TODAY: ["course", "due_date"],
    Kind.OVERDUE: ["course", "due_date", "days"],
    Kind.MANAGER_COPY: ["learner", "course", "due_date"],
    Kind.ESCALATION: ["learner", "manager", "course", "due_date", "days"],
    Kind.DIGEST: ["count", "week"],
}


def default_wording(kind: str) -> tuple[str, str]:
    """The wording a kind ships with, as (subject, body), in the active language."""
    wording = {
        Kind.BEFORE_DUE: (
            _("Reminder: {course} is due in {days} days"),
            _(
                "Dear {name},\n\nYour training “{course}” is due on {due_date}, in {days} days. "
                "It takes a little time; starting now leaves room to finish comfortably.\n\nOpen the course: {link}"
            ),
        ),
        Kind.DUE_TODAY: (
            _("Today is the last day for {course}"),
            _(
                "Dear {name},\n\nYour training “{course}” is due today, {due_date}. "
                "Please finish it today.\n\nOpen the course: {link}"
            ),
        ),
        Kind.OVERDUE: (
            _("Overdue: {course}"),
            _(
                "Dear {name},\n\nYour training “{course}” was due on {due_date}, {days} days ago. "
                "Please complete it as soon as you can, or talk to your manager if something is in the way."
                "\n\nOpen the course: {link}"
            ),
        ),
        Kind.MANAGER_COPY: (
            _("{learner}: {course} is due today"),
            _(
                "Dear {name},\n\nFor your information: “{course}” is due today, {due_date}, for {learner}, "
                "who has not completed it yet.\n\nThe course: {link}"
            ),
        ),
        Kind.ESCALATION: (
            _("Escalation: {learner} is {days} days overdue on {course}"),
            _(
                "Dear {name},\n\n{learner}, in {manager}'s team, has not completed “{course}”, due on {due_date}, "
                "{days} days ago. Reminders and a copy to {manager} have gone out.\n\nThe course: {link}"
            ),
        ),
        Kind.DIGEST: (
            _("Your team's training this week: {count} to follow up"),
            _(
                "Dear {name},\n\nHere is your team's training that needs attention in the week of {week}: "
                "{count} items.\n\nThe team's report: {link}"
            ),
        ),
    }
    subject, body = wording[kind]
    return str(subject), str(body)


class ReminderWordingQuerySet(models.QuerySet):
    def for_message(self, kind: str, language: str) -> tuple[str, str]:
        """The (subject, body) of ``kind`` in ``language``: the trainers' wording, else the shipped one."""
        stored = self.filter(kind=kind, language=language).values_list("subject", "body").first()
        if stored:
            return stored
        with translation.override(language):
            return default_wording(kind)

    def add_missing(self) -> int:
        """Store the shipped wording of every kind in every language of the site that has none yet."""
        existing = set(self.values_list("kind", "language"))
        missing = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for kind in Kind.values:
                    if (kind, language) not in existing:
                        subject, body = default_wording(kind)
                        missing.append(self.model(kind=kind, language=language, subject=subject, body=body))
        self.bulk_create(missing, ignore_conflicts=True)
        return len(missing)


class ReminderWording(PreviewableMixin, models.Model):
    """The subject and text of one kind of reminder in one language, which trainers edit in the admin.

    ``{placeholders}`` are filled in for each message; the preview shows a sample.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A code from settings.LANGUAGES; the choices live in the admin form (see reminders.viewsets).
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Blank lines separate paragraphs. Placeholders in braces, such as {name}, are filled in."),
    )

    objects = ReminderWordingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder wording")
        verbose_name_plural = _("reminder wording")
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="unique_wording_per_language")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"

    def allowed_placeholders(self) -> list[str]:
        return ["name", "site", "link", *PLACEHOLDERS.get(self.kind, [])]

    def clean(self) -> None:
        allowed = set(self.allowed_placeholders())
        errors = {}
        for field in ("subject", "body"):
            try:
                used = {name for _text, name, _spec, _conv in string.Formatter().parse(getattr(self, field)) if name}
            except ValueError:
                errors[field] = _("A brace is not closed. Write placeholders as {name}; a brace alone as {{ or }}.")
                continue
            unknown = used - allowed
            if unknown:
                errors[field] = _("Unknown placeholder: %(unknown)s. You can use: %(allowed)s.") % {
                    "unknown": ", ".join(sorted(f"{{{name}}}" for name in unknown)),
                    "allowed": ", ".join(f"{{{name}}}" for name in self.allowed_placeholders()),
                }
        if errors:
            raise ValidationError(errors)

    def get_preview_template(self, request, mode_name):
        return "reminders/wording_preview.html"

    def get_preview_context(self, request, mode_name):
        message = sample_message(self.kind, self.language, self.subject, self.body)
        return {**super().get_preview_context(request, mode_name), "message": message}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A learner's private calendar feed: their due dates at a URL with a secret token they can replace."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("learner")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def regenerate(self) -> None:
        """Replace the token: the old URL stops working."""
        self.token = new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
