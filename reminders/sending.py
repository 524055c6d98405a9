"""Sending queued reminders.

Contract: :func:`send_queued` sends every reminder that is queued and due (its back-off, if any, has passed):

* A worker takes a batch of rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` (on PostgreSQL; SQLite has one
  writer at a time) and, in the same short transaction, pushes their ``next_attempt_at`` a lease ahead
  (``TRAINING_REMINDER_LEASE_MINUTES``): other workers skip them, and a worker that dies leaves them to be
  picked up once the lease runs out. Any number of workers can run at once.
* It then sends them one by one, and records each outcome as soon as it is known, in its own statement:
  sent; not needed any more (the reminder no longer applies: see ``reminders.messages.email_for``); or
  failed, with the error and one more attempt, to be retried after a back-off that doubles each time
  (``TRAINING_REMINDER_RETRY_MINUTES``) until ``TRAINING_REMINDER_MAX_ATTEMPTS``, when it is marked failed.
* So a worker killed mid-send re-sends at most the one message it was sending: the one the SMTP server may
  have accepted before the worker could record it. Everything recorded stays recorded; see docs/reminders.md.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core import mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from reminders.conf import get_setting
from reminders.messages import Lookups, email_for
from reminders.models import Reminder
from reminders.queueing import cycles_in_progress

logger = logging.getLogger(__name__)


@dataclass
class SendReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def counts(self) -> dict[str, int]:
        return {"sent": self.sent, "not needed": self.skipped, "failed": self.failed}


def claim_batch(size: int) -> list[int]:
    """Take up to ``size`` reminders ready to send, hold them for a lease, and return their ids."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Reminder.objects.ready_to_send(now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        lease = now + datetime.timedelta(minutes=get_setting("REMINDER_LEASE_MINUTES"))
        Reminder.objects.filter(pk__in=ids).update(next_attempt_at=lease)
    return ids


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure: the first delay, doubled for each failure before it."""
    return datetime.timedelta(minutes=get_setting("REMINDER_RETRY_MINUTES") * 2 ** (attempts - 1))


def send_queued(limit: int | None = None) -> SendReport:
    """Send reminders ready to go, batch by batch, until none is left (or ``limit`` have been tried)."""
    report = SendReport()
    size = get_setting("REMINDER_BATCH_SIZE")
    mailer = mail.mailers[get_setting("REMINDER_MAILER")]
    tried = 0
    lookups = Lookups()
    try:
        while limit is None or tried < limit:
            ids = claim_batch(size if limit is None else min(size, limit - tried))
            if not ids:
                break
            tried += len(ids)
            in_progress = cycles_in_progress(timezone.localdate()).filter(pk=OuterRef("cycle_id"))
            reminders = (
                Reminder.objects.filter(pk__in=ids)
                .select_related(
                    "recipient__staff_profile",
                    "cycle__enrollment__course",
                    "cycle__enrollment__user__staff_profile__manager__staff_profile",
                )
                .annotate(cycle_in_progress=Exists(in_progress))
            )
            found = set()
            for reminder in reminders.order_by("pk"):
                found.add(reminder.pk)
                send_one(reminder, mailer, report, lookups)
            # A row whose recipient is gone (the database does not check the key: see Reminder) has nobody to go to.
            report.skipped += Reminder.objects.filter(pk__in=set(ids) - found).update(state=Reminder.State.SKIPPED)
    finally:
        mailer.close()
    return report


def send_one(reminder: Reminder, mailer, report: SendReport, lookups: Lookups) -> None:
    """Send one claimed reminder through ``mailer`` and record the outcome."""
    try:
        email = email_for(reminder, timezone.localdate(), lookups)
        if email is None:
            Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.SKIPPED)
            report.skipped += 1
            return
        # Keep one connection open for the whole run (a no-op when it is open already).
        mailer.open()
        mailer.send_messages([email])
    except Exception as error:
        record_failure(reminder, error)
        report.failed += 1
        # The connection may be half-open after a failure: the next message opens a new one.
        mailer.close()
        return
    record_sent(reminder)
    report.sent += 1


def record_sent(reminder: Reminder) -> None:
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.SENT, sent_at=timezone.now(), last_error="")


def record_failure(reminder: Reminder, error: Exception) -> None:
    attempts = reminder.attempts + 1
    gave_up = attempts >= get_setting("REMINDER_MAX_ATTEMPTS")
    logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, attempts, error)
    Reminder.objects.filter(pk=reminder.pk).update(
        attempts=F("attempts") + 1,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        state=Reminder.State.FAILED if gave_up else Reminder.State.QUEUED,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
