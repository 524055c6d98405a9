"""The database does not check a reminder's cycle and recipient (see Reminder): a row whose cycle or recipient is
gone is not sent, and nothing is left queued."""

from django.core import mail

from courses.testing import make_user
from reminders.models import Reminder
from reminders.queueing import queue_reminders
from reminders.sending import send_queued

from .conftest import FRONT_DESK, date, on


def test_a_reminder_whose_cycle_or_recipient_is_gone_is_skipped(yearly_course):
    with on("2026-01-05"):
        for name in ("sara", "omid", "mina"):
            make_user(
                name, email=f"{name}@example.com", profile={"hire_date": date("2026-01-05"), "department": FRONT_DESK}
            )
        assert queue_reminders(date("2026-01-05")).reminders == 3
        missing = max(Reminder.objects.values_list("cycle_id", flat=True)) + 1000
        Reminder.objects.filter(recipient__username="sara").update(cycle_id=missing)
        Reminder.objects.filter(recipient__username="omid").update(recipient_id=missing)

        report = send_queued()

    assert (report.sent, report.skipped) == (1, 2)
    assert [message.to for message in mail.outbox] == [["mina@example.com"]]
    assert not Reminder.objects.filter(state=Reminder.State.QUEUED).exists()
