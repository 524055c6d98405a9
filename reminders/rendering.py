"""Turning a wording and its values into a message: subject, plain text and HTML, in one language.

Pure functions of their arguments; ``reminders.messages`` gathers the values for a queued reminder.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from courses.formatting import local_date, local_digits
from courses.models import Status


@dataclass
class RenderedMessage:
    subject: str
    text: str
    html: str
    language: str


@dataclass
class DigestItem:
    """One line of a manager's digest."""

    learner: str
    course: str
    status: str  # a Status label, translated when rendered
    date: datetime.date | None
    link: str = ""


class _Values(dict):
    """Placeholders without a value stay as written, so a wording never fails to render."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(wording: str, values: dict[str, Any]) -> str:
    try:
        return wording.format_map(_Values(values))
    except (ValueError, IndexError, AttributeError):
        # Stored before validation caught it (or written in the database by hand): show it as written.
        return wording


def render_message(
    language: str,
    subject: str,
    body: str,
    values: dict[str, Any],
    *,
    link: str = "",
    link_label: str = "",
    items: list[DigestItem] = (),
) -> RenderedMessage:
    """The message in ``language``: ``subject`` and ``body`` filled with ``values`` (dates and numbers written
    the language's way), as plain text and as HTML with a button to ``link`` and a table of digest ``items``."""
    with translation.override(language):
        local = {
            name: local_date(value)
            if isinstance(value, datetime.date)
            else local_digits(value)
            if isinstance(value, int)
            else value
            for name, value in values.items()
        }
        local.setdefault("site", settings.WAGTAIL_SITE_NAME)
        local.setdefault("link", link)
        context = {
            "subject": fill(subject, local),
            "paragraphs": [part.strip() for part in fill(body, local).split("\n\n") if part.strip()],
            "link": link,
            "link_label": link_label,
            "items": items,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "bidi": translation.get_language_bidi(),
            "language": language,
        }
        return RenderedMessage(
            subject=" ".join(context["subject"].split()),
            text=render_to_string("reminders/email/message.txt", context),
            html=render_to_string("reminders/email/message.html", context),
            language=language,
        )


#: Values the admin preview fills a wording with.
SAMPLE_VALUES = {
    "name": "Leila Ahmadi",
    "learner": "Omid Najafi",
    "manager": "Mehdi Rahimi",
    "course": "Handling angry customers",
    "days": 7,
    "count": 3,
    "link": "https://training.example.com/",
}


def sample_message(kind: str, language: str, subject: str, body: str) -> RenderedMessage:
    """A wording rendered with sample values, for the admin preview."""
    today = datetime.date.today()
    values = {**SAMPLE_VALUES, "due_date": today + datetime.timedelta(days=7), "week": today}
    items = []
    if kind == "digest":
        items = [
            DigestItem(
                "Omid Najafi", "Handling angry customers", Status.OVERDUE.label, today - datetime.timedelta(days=3)
            ),
            DigestItem("Mina Ebrahimi", "Active listening", Status.IN_GRACE.label, today + datetime.timedelta(days=5)),
        ]
    return render_message(language, subject, body, values, link=SAMPLE_VALUES["link"], items=items)
