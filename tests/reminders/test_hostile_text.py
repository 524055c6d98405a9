"""Hostile names and titles in reminder emails: escaped in the HTML part, and never a mail header."""

import pytest
from django.core import mail
from django.utils.html import escape

from courses.refreshers import run_sweep
from courses.testing import make_user
from reminders.models import Reminder

from .conftest import FRONT_DESK, date, on

MARKUP = [
    "<script>alert(1)</script>",
    '<img src="file:///etc/hostname">',
    "<b>bold</b>",
]


@pytest.fixture
def organisation(yearly_course):
    """A learner whose names are markup (as an import or the admin might store them), hired on 5 January 2026,
    and their manager."""
    with on("2026-01-05"):
        return _hire()


def _hire():
    manager = make_user("boss", email="boss@example.com", profile={"preferred_language": "en"})
    learner = make_user(
        "hostile",
        first_name=MARKUP[0],
        last_name=MARKUP[2],
        email="hostile@example.com",
        profile={
            "hire_date": date("2026-01-05"),
            "department": FRONT_DESK,
            "manager": manager,
            "preferred_language": "en",
            "persian_name": MARKUP[1],
        },
    )
    return learner, manager


def test_reminder_emails_escape_names_and_titles_in_html_and_keep_them_in_plain_text(
    organisation, yearly_course, django_capture_on_commit_callbacks
):
    yearly_course.title = "<i>Listening</i> & =SUM(A1)"
    yearly_course.save_revision().publish()
    with on("2026-01-05"), django_capture_on_commit_callbacks(execute=True):
        run_sweep()
    with on("2026-02-04"), django_capture_on_commit_callbacks(execute=True):
        run_sweep()

    to_manager = [message for message in mail.outbox if message.to == ["boss@example.com"]]
    assert to_manager, "the manager's copy names the learner"
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        html, _mimetype = message.alternatives[0]
        for text in [*MARKUP, "<i>Listening</i>"]:
            assert text not in html
        assert escape("<i>Listening</i> & =SUM(A1)") in html
        assert "<i>Listening</i> & =SUM(A1)" in message.body
    assert any(escape(MARKUP[0]) in message.alternatives[0][0] for message in to_manager)
    assert not Reminder.objects.filter(state=Reminder.State.FAILED).exists()


def test_a_name_with_a_line_break_cannot_add_a_mail_header(
    organisation, yearly_course, django_capture_on_commit_callbacks
):
    learner, _manager = organisation
    learner.first_name = "Eve\r\nBcc: everyone@example.com"
    learner.save()
    with on("2026-02-04"), django_capture_on_commit_callbacks(execute=True):
        run_sweep()

    assert mail.outbox
    for message in mail.outbox:
        headers = message.message()
        assert headers["Bcc"] is None
        assert "\n" not in headers["Subject"].replace("\n ", " ")
        assert message.recipients() in (["hostile@example.com"], ["boss@example.com"])
    assert not Reminder.objects.filter(state=Reminder.State.FAILED).exists()
