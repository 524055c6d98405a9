"""Two years of reminders: each step once on its day, to the right person, in their language."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from courses.models import CourseCompletion, Enrollment
from courses.refreshers import run_sweep
from courses.testing import make_user, quiz_answers
from reminders.models import Reminder
from reminders.queueing import queue_reminders

from .conftest import FRONT_DESK, date, on


class Organisation:
    """A director over a manager over two learners, one reading Persian, one English."""

    def __init__(self):
        self.director = make_user("director", email="director@example.com", profile={"preferred_language": "fa"})
        self.manager = make_user(
            "mehdi", email="mehdi@example.com", profile={"manager": self.director, "preferred_language": "en"}
        )
        hired = {"hire_date": date("2026-01-05"), "manager": self.manager, "department": FRONT_DESK}
        self.sara = make_user(
            "sara", email="sara@example.com", profile={**hired, "preferred_language": "fa", "persian_name": "سارا"}
        )
        self.omid = make_user("omid", email="omid@example.com", profile={**hired, "preferred_language": "en"})
        self.gone = make_user(
            "gone", email="gone@example.com", is_active=False, profile={**hired, "preferred_language": "en"}
        )


def sweep(captured) -> list[tuple[str, str]]:
    """Sweep (the worker sends what it queues), then sweep again; return (recipient, step) of each email sent."""
    before = len(mail.outbox)
    with captured(execute=True):
        run_sweep()
    sent = [(message.to[0].split("@")[0], step_of(message)) for message in mail.outbox[before:]]
    rows = Reminder.objects.count()
    with captured(execute=True):
        run_sweep()
    assert len(mail.outbox) == before + len(sent), "a second sweep sent something"
    assert Reminder.objects.count() == rows, "a second sweep queued something"
    return sorted(sent)


def step_of(message) -> str:
    return Reminder.objects.get(pk=message.extra_headers["X-Training-Reminder"]).step


def complete(client, course, user) -> None:
    client.force_login(user)
    lesson = course.lessons().first().specific
    activity = lesson.live_activities()[0]
    assert client.post(f"{lesson.url}activities/{activity.pk}/", quiz_answers(activity)).status_code == 302


def test_two_years_of_reminders(client, yearly_course, django_capture_on_commit_callbacks, settings):
    settings.TRAINING_REMINDER_DIGEST_WEEKDAY = 5  # Saturday
    with on("2026-01-05"):
        people = Organisation()
        # Due 2026-02-04, thirty days after hire: the 30-day reminder goes out on the first day.
        assert sweep(django_capture_on_commit_callbacks) == [("omid", "before-30"), ("sara", "before-30")]
        sara_first = mail.outbox[-1] if mail.outbox[-1].to == ["sara@example.com"] else mail.outbox[-2]
        assert sara_first.subject == "یادآوری: مبانی گوش دادن تا ۳۰ روز دیگر موعد دارد"
        assert "۱۵ بهمن ۱۴۰۴" in sara_first.body  # 2026-02-04 in the Jalali calendar, Persian digits

    schedule = {
        "2026-01-06": [],
        "2026-01-20": [],
        "2026-01-21": [("omid", "before-14"), ("sara", "before-14")],
        # Omid left on the 25th. No sweep ran on Saturday the 24th: the week's digest goes out now, as Sara's
        # course falls due within the week ahead.
        "2026-01-28": [("director", "digest-2026-01-24"), ("mehdi", "digest-2026-01-24"), ("sara", "before-7")],
        "2026-02-03": [("director", "digest-2026-01-31"), ("mehdi", "digest-2026-01-31"), ("sara", "before-1")],
        "2026-02-04": [("mehdi", "manager-due"), ("sara", "due")],
        "2026-02-05": [],
        # Saturday: the manager and the director get the week's digest, which lists Sara as overdue.
        "2026-02-07": [("director", "digest-2026-02-07"), ("mehdi", "digest-2026-02-07")],
        "2026-02-11": [("sara", "overdue-1")],
        "2026-02-18": [
            ("director", "digest-2026-02-14"),
            ("director", "escalation"),
            ("mehdi", "digest-2026-02-14"),
            ("sara", "overdue-2"),
        ],
    }
    for day, expected in schedule.items():
        with on(day):
            if day == "2026-01-28":
                with on("2026-01-25"):
                    people.omid.is_active = False
                    people.omid.save()
            assert sweep(django_capture_on_commit_callbacks) == expected, day

    digest = next(
        message for message in mail.outbox if message.to == ["mehdi@example.com"] and "digest" in step_of(message)
    )
    assert digest.subject == "Your team's training this week: 1 to follow up"
    assert "سارا" in digest.body or "sara" in digest.body.lower()
    assert "/admin/enrollments/" in digest.body
    persian_digest = next(
        message for message in mail.outbox if message.to == ["director@example.com"] and "digest" in step_of(message)
    )
    assert "آموزش تیم شما" in persian_digest.subject
    escalation = next(message for message in mail.outbox if step_of(message) == "escalation")
    assert escalation.to == ["director@example.com"]
    assert "۱۴" in escalation.subject

    with on("2026-02-20"):
        complete(client, yearly_course, people.sara)
        assert sweep(django_capture_on_commit_callbacks) == []
    # Completing stopped the rest: no third overdue reminder, and nothing all year.
    for day in ("2026-02-25", "2026-03-04", "2026-06-01", "2027-01-19"):
        with on(day):
            assert sweep(django_capture_on_commit_callbacks) == [], day

    # The refresher: valid until 2027-02-19, its window opens thirty days before.
    refresher = {
        "2027-01-20": [("sara", "before-30")],
        "2027-02-05": [("sara", "before-14")],
    }
    for day, expected in refresher.items():
        with on(day):
            assert sweep(django_capture_on_commit_callbacks) == expected, day
    assert Enrollment.objects.get(user=people.sara).cycle == 2
    with on("2027-02-08"):
        complete(client, yearly_course, people.sara)
    for day in ("2027-02-12", "2027-02-18", "2027-02-19", "2027-02-26"):
        with on(day):
            assert sweep(django_capture_on_commit_callbacks) == [], day

    assert not [message for message in mail.outbox if message.to == ["gone@example.com"]]
    assert not Reminder.objects.filter(recipient=people.gone).exists()
    # Every message went out once: one row each, all sent or found not needed.
    assert Reminder.objects.filter(state=Reminder.State.QUEUED).count() == 0
    assert len(mail.outbox) == Reminder.objects.filter(state=Reminder.State.SENT).count()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_reminder_email_has_both_parts_and_the_due_date(yearly_course, django_capture_on_commit_callbacks, language):
    with on("2026-01-05"):
        make_user(
            "sara",
            email="sara@example.com",
            profile={"hire_date": date("2026-01-05"), "department": FRONT_DESK, "preferred_language": language},
        )
        with django_capture_on_commit_callbacks(execute=True):
            run_sweep()
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "fa")
    course_url = "http://testserver/fa/listening-fa/" if language == "fa" else "http://testserver/listening-basics/"
    assert course_url in message.body
    assert course_url in html
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar"
    calendar = attachment.content.decode() if isinstance(attachment.content, bytes) else attachment.content
    assert "DTSTART;VALUE=DATE:20260204" in calendar
    assert get_user_model().objects.get(username="sara").reminders.get().state == Reminder.State.SENT
    assert datetime.date(2026, 2, 4) == Reminder.objects.get().due_on


def test_a_completion_recorded_without_the_learners_pages_stops_the_reminders(yearly_course):
    with on("2026-01-05"):
        people = Organisation()
        run_sweep()
    with on("2026-01-21"):
        # Omid's completion comes from another system, written straight to the records.
        omid = Enrollment.objects.get(user=people.omid)
        CourseCompletion.objects.create(enrollment=omid, cycle=1)
        assert queue_reminders(timezone.localdate()).reminders == 1
        assert queue_reminders(timezone.localdate()).reminders == 0  # queued once

    assert sorted(Reminder.objects.filter(cycle__isnull=False).values_list("recipient__username", "step")) == [
        ("omid", "before-30"),
        ("sara", "before-14"),
        ("sara", "before-30"),
    ]
