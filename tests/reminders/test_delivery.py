"""Delivery through Django's SMTP backend to a real SMTP server on loopback: both parts, the .ics, retries,
and a worker killed mid-send."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from courses.testing import make_user
from reminders import sending
from reminders.models import Reminder
from reminders.queueing import queue_reminders
from reminders.sending import send_queued
from reminders.testing import Mailbox, mailer_settings, start_server

from .conftest import FRONT_DESK, TEHRAN, date, on


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = start_server(box)
    settings.MAILERS = mailer_settings(controller)
    yield box
    controller.stop()


@pytest.fixture
def three_learners(yearly_course):
    """Three learners due on 2026-02-04, with their 30-day reminders queued on 2026-01-05."""
    with on("2026-01-05"):
        for name, language in [("sara", "fa"), ("omid", "en"), ("mina", "fa")]:
            make_user(
                name,
                email=f"{name}@example.com",
                profile={"hire_date": date("2026-01-05"), "department": FRONT_DESK, "preferred_language": language},
            )
        assert queue_reminders(date("2026-01-05")).reminders == 3


def later(minutes: int):
    """Ten in the morning of 2026-01-05, when the tests first send, plus ``minutes``."""
    start = datetime.datetime(2026, 1, 5, 10, tzinfo=TEHRAN)
    return time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False)


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def test_messages_arrive_with_text_html_and_the_due_date(three_learners, mailbox):
    with on("2026-01-05"):
        assert send_queued().sent == 3
    assert mailbox.count_by_recipient() == {"sara@example.com": 1, "omid@example.com": 1, "mina@example.com": 1}
    english = next(message for message in mailbox.parsed() if message["To"] == "omid@example.com")
    assert english["Subject"] == "Reminder: Listening basics is due in 30 days"
    content = parts(english)
    assert set(content) == {"text/plain", "text/html", "text/calendar"}
    assert "http://testserver/listening-basics/" in content["text/plain"].get_content()
    assert 'href="http://testserver/listening-basics/"' in content["text/html"].get_content()
    calendar = content["text/calendar"].get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "DTSTART;VALUE=DATE:20260204" in calendar
    assert "SUMMARY:Training due: Listening basics" in calendar
    persian = next(message for message in mailbox.parsed() if message["To"] == "sara@example.com")
    assert persian["Subject"] == "یادآوری: مبانی گوش دادن تا ۳۰ روز دیگر موعد دارد"
    assert 'dir="rtl"' in parts(persian)["text/html"].get_content()
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_a_server_that_refuses_then_accepts_gets_every_reminder_once(three_learners, mailbox):
    mailbox.refuse = 2
    with on("2026-01-05"):
        report = send_queued()
        assert (report.sent, report.failed) == (1, 2)
        waiting = Reminder.objects.filter(state=Reminder.State.QUEUED)
        assert waiting.count() == 2
        assert all(row.attempts == 1 and "451" in row.last_error for row in waiting)
        # The back-off has not passed: a run now sends nothing.
        assert send_queued().sent == 0
    with later(minutes=6):
        assert send_queued().sent == 2
    assert mailbox.count_by_recipient() == {"sara@example.com": 1, "omid@example.com": 1, "mina@example.com": 1}
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_after_the_last_attempt_a_reminder_is_marked_failed_with_its_reason(three_learners, mailbox, settings):
    settings.TRAINING_REMINDER_MAX_ATTEMPTS = 2
    mailbox.refuse = 100
    with on("2026-01-05"):
        send_queued()
    with later(minutes=60):
        send_queued()
    failed = Reminder.objects.filter(state=Reminder.State.FAILED)
    assert failed.count() == 3
    assert "Mailbox busy" in failed.first().state_description()


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing after it runs, no handler catches it."""


def test_a_worker_killed_mid_send_resends_only_the_message_in_flight(three_learners, mailbox, monkeypatch):
    record_sent = sending.record_sent
    calls = []

    def dies_after_the_second_delivery(reminder):
        calls.append(reminder.pk)
        if len(calls) == 2:
            raise WorkerKilled  # The server has the message; the worker dies before writing it down.
        record_sent(reminder)

    monkeypatch.setattr(sending, "record_sent", dies_after_the_second_delivery)
    with on("2026-01-05"), pytest.raises(WorkerKilled):
        send_queued()
    monkeypatch.setattr(sending, "record_sent", record_sent)
    in_flight = Reminder.objects.get(pk=calls[1])
    assert len(mailbox.parsed()) == 2
    with later(minutes=9):
        # The dead worker's batch is held for its lease: another worker does not take it yet.
        assert send_queued().sent == 0
    with later(minutes=11):
        assert send_queued().sent == 2
    counts = mailbox.count_by_recipient()
    assert counts[in_flight.recipient.email] == 2
    assert sorted(counts.values()) == [1, 1, 2]
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_a_reminder_queued_for_someone_deactivated_before_it_went_out_is_not_sent(three_learners, mailbox):
    get_user_model().objects.filter(username="omid").update(is_active=False)
    with on("2026-01-05"):
        report = send_queued()
    assert (report.sent, report.skipped) == (2, 1)
    assert "omid@example.com" not in mailbox.count_by_recipient()
    assert Reminder.objects.get(recipient__username="omid").state == Reminder.State.SKIPPED
