"""iCalendar documents: one due date as an email attachment, and a learner's feed of due dates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext


@dataclass
class DueDate:
    """A cycle's due date, with the course's title and link in the reader's language."""

    cycle_id: int
    course: str
    due_on: datetime.date
    link: str


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def due_event(due: DueDate) -> icalendar.Event:
    """An all-day event on the due date; the same UID everywhere, so calendars update rather than duplicate it."""
    event = icalendar.Event()
    event.add("uid", f"training-cycle-{due.cycle_id}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", due.due_on)
    event.add("dtend", due.due_on + datetime.timedelta(days=1))
    event.add("summary", gettext("Training due: %(course)s") % {"course": due.course})
    event.add("description", due.link)
    event.add("url", due.link)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(dues: Iterable[DueDate], *, name: str = "", method: str = "") -> bytes:
    """An iCalendar document holding the events of ``dues``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Training reminders//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for due in dues:
        calendar.add_component(due_event(due))
    return calendar.to_ical()
