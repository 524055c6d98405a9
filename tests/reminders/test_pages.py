"""The learner's notifications and calendar feed, and the trainers' admin screens."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from courses.testing import make_user
from reminders.models import CalendarFeed, Reminder, ReminderSchedule, ReminderWording
from reminders.queueing import queue_reminders
from reminders.sending import send_queued

from .conftest import FRONT_DESK, date, on


@pytest.fixture
def sara(yearly_course):
    """A learner reading Persian with her 30-day reminder queued on 2026-01-05, due 2026-02-04."""
    with on("2026-01-05"):
        user = make_user(
            "sara",
            email="sara@example.com",
            profile={"hire_date": date("2026-01-05"), "department": FRONT_DESK, "preferred_language": "fa"},
        )
        queue_reminders(date("2026-01-05"))
    return user


def test_the_header_counts_unread_notifications_and_the_dashboard_lists_them(client, sara):
    client.force_login(sara)
    with on("2026-01-06"):
        page = client.get("/my-training/").text
        assert 'Notifications <span class="badge badge--overdue"' in page
        assert "Listening basics is due on 4 February 2026." in page
        persian = client.get("/fa/my-training/").text
        assert "مبانی گوش دادن" in persian
        assert "۱۵ بهمن ۱۴۰۴" in persian
        reminder = Reminder.objects.get()
        # Marking read is a POST; a GET changes nothing.
        assert client.get(f"/reminders/notifications/{reminder.pk}/read/").status_code == 405
        assert client.post(f"/reminders/notifications/{reminder.pk}/read/").status_code == 302
        reminder.refresh_from_db()
        assert reminder.read_at is not None
        assert "badge badge--overdue" not in client.get("/my-training/").text


def test_nobody_marks_someone_elses_notification_read(client, sara):
    client.force_login(make_user("omid"))
    reminder = Reminder.objects.get()
    client.post(f"/reminders/notifications/{reminder.pk}/read/")
    client.post("/reminders/notifications/read/")
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_the_calendar_feed_lists_due_dates_behind_a_token_the_learner_can_replace(client, sara):
    client.force_login(sara)
    with on("2026-01-06"):
        assert client.get("/reminders/calendar/new-link/").status_code == 405
        client.post("/reminders/calendar/new-link/")
        token = CalendarFeed.objects.get(user=sara).token
        client.logout()
        feed = client.get(f"/reminders/calendar/{token}.ics")
        assert feed["Content-Type"].startswith("text/calendar")
        body = feed.content.decode()
        assert "DTSTART;VALUE=DATE:20260204" in body
        assert "مبانی گوش دادن" in body
        client.force_login(sara)
        client.post("/reminders/calendar/new-link/")
        assert client.get(f"/reminders/calendar/{token}.ics").status_code == 404
        new_token = CalendarFeed.objects.get(user=sara).token
        assert new_token != token
        assert client.get(f"/reminders/calendar/{new_token}.ics").status_code == 200


def test_a_trainer_filters_reminders_and_resends_one(trainer_client, sara, settings):
    with on("2026-01-05"):
        Reminder.objects.update(state=Reminder.State.FAILED, attempts=8, last_error="SMTPDataError: 451 busy")
        listing = trainer_client.get("/admin/reminder_admin/?state=failed")
        assert listing.status_code == 200
        assert "SMTPDataError: 451 busy" in listing.text
        assert "SMTPDataError" not in trainer_client.get("/admin/reminder_admin/?state=sent").text
        reminder = Reminder.objects.get()
        assert trainer_client.get(f"/admin/reminder_admin/resend/{reminder.pk}/").status_code == 200
        assert trainer_client.post(f"/admin/reminder_admin/resend/{reminder.pk}/").status_code == 302
    # The tests' task backend runs the sender at once.
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SENT
    assert [message.to for message in mail.outbox] == [["sara@example.com"]]
    assert trainer_client.get(f"/admin/reminder_admin/edit/{reminder.pk}/").status_code in (302, 403)


def test_a_learner_cannot_resend(client, sara):
    client.force_login(sara)
    reminder = Reminder.objects.get()
    assert client.post(f"/admin/reminder_admin/resend/{reminder.pk}/").status_code in (302, 403)
    reminder.refresh_from_db()
    assert reminder.attempts == 0
    assert reminder.state == Reminder.State.QUEUED


def test_a_trainer_edits_the_persian_wording_and_the_next_message_uses_it(trainer_client, sara):
    wording = ReminderWording.objects.get(kind="before_due", language="fa")
    url = f"/admin/snippets/reminders/reminderwording/edit/{wording.pk}/"
    form = {"kind": "before_due", "language": "fa", "subject": "{course}: {nope}", "body": "سلام {name}"}
    response = trainer_client.post(url, form)
    assert response.status_code == 200
    assert "Unknown placeholder: {nope}" in response.text
    form["subject"] = "فقط {days} روز تا {course}"
    assert trainer_client.post(url, form).status_code == 302
    preview = trainer_client.post(f"/admin/snippets/reminders/reminderwording/preview/{wording.pk}/", form)
    assert preview.json()["is_valid"]
    shown = trainer_client.get(f"/admin/snippets/reminders/reminderwording/preview/{wording.pk}/").text
    assert "فقط ۷ روز تا Handling angry customers" in shown
    with on("2026-01-05"):
        send_queued()
    assert mail.outbox[0].subject == "فقط ۳۰ روز تا مبانی گوش دادن"


def test_a_course_with_its_own_schedule_reminds_on_its_days(yearly_course, sara):
    ReminderSchedule.objects.create(course=yearly_course, days_before="10", overdue_limit=0, escalate_after_days=0)
    with on("2026-01-21"):
        assert queue_reminders(date("2026-01-21")).reminders == 0  # 14 days before: not on this schedule
    with on("2026-01-25"):
        assert queue_reminders(date("2026-01-25")).reminders == 1
    assert list(Reminder.objects.filter(recipient=sara).values_list("step", flat=True).order_by("pk")) == [
        "before-30",
        "before-10",
    ]


def test_a_schedule_with_bad_days_is_refused(yearly_course):
    with pytest.raises(ValidationError, match="whole numbers"):
        ReminderSchedule(course=yearly_course, days_before="30, two weeks").full_clean()
