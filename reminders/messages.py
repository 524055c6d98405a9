"""The email (and its values) for a queued reminder: in the recipient's language, with a link and a calendar.

Contract: :func:`email_for` returns the message to send, or ``None`` when the reminder no longer applies
(the cycle was completed, the learner or recipient deactivated, the rule no longer applies), in which
case the sender marks it not needed.
"""

from __future__ import annotations

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.models import CoursePage, Enrollment, Status
from reminders.calendar import DueDate, calendar_of
from reminders.conf import get_setting
from reminders.models import Reminder, ReminderWording
from reminders.queueing import cycles_in_progress
from reminders.rendering import DigestItem, RenderedMessage, render_message
from reminders.schedule import Kind

#: Statuses a digest lists, and the open ones it lists only when due within the digest's week.
DIGEST_STATUSES = {Status.OVERDUE, Status.IN_GRACE, Status.EXPIRED}
DUE_STATUSES = {Status.NOT_STARTED, Status.IN_PROGRESS, Status.REFRESHER_DUE}


def language_of(user) -> str:
    """The user's preferred language, if the site offers it; else the site's default."""
    profile = getattr(user, "staff_profile", None)
    language = profile.preferred_language if profile else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def name_of(user, language: str) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.name_for(language) if profile else (user.get_full_name() or user.get_username())


def course_in(course: CoursePage, language: str) -> CoursePage:
    """The live translation of ``course`` in ``language``, or the course itself."""
    translated = (
        CoursePage.objects.live().filter(translation_key=course.translation_key, locale__language_code=language).first()
    )
    return translated or course


def absolute(url: str) -> str:
    return urljoin(settings.WAGTAILADMIN_BASE_URL, url)


def team_report_url() -> str:
    """Managers' digests link here: ``TRAINING_TEAM_REPORT_URL`` (a URL name or path), else the enrolments listing."""
    target = get_setting("TEAM_REPORT_URL") or "enrollments:index"
    try:
        return absolute(reverse(target))
    except NoReverseMatch:
        return absolute(target)


def still_applies(reminder: Reminder, today: datetime.date) -> bool:
    """Whether a reminder is still wanted: the recipient active and, for a cycle's reminder, the cycle still in
    progress (see ``reminders.queueing.cycles_in_progress``). Reads ``cycle_in_progress`` when the sender
    annotated it for a whole batch."""
    if not reminder.recipient.is_active:
        return False
    if reminder.cycle_id is None:
        return True
    in_progress = getattr(reminder, "cycle_in_progress", None)
    if in_progress is None:
        in_progress = cycles_in_progress(today).filter(pk=reminder.cycle_id).exists()
    return in_progress


class Lookups:
    """What many messages of one run share, looked up once per run: courses' translations, the wording."""

    def __init__(self):
        self.courses: dict[tuple[int, str], tuple[str, str]] = {}
        self.wording: dict[tuple[str, str], tuple[str, str]] = {}

    def course(self, course: CoursePage, language: str) -> tuple[str, str]:
        """The title and absolute URL of ``course`` in ``language``."""
        key = (course.pk, language)
        if key not in self.courses:
            translated = course_in(course, language)
            self.courses[key] = (translated.title, absolute(translated.get_url() or "/"))
        return self.courses[key]

    def wording_for(self, kind: str, language: str) -> tuple[str, str]:
        key = (kind, language)
        if key not in self.wording:
            self.wording[key] = ReminderWording.objects.for_message(kind, language)
        return self.wording[key]


def email_for(
    reminder: Reminder, today: datetime.date, lookups: Lookups | None = None
) -> EmailMultiAlternatives | None:
    """The email for ``reminder``, or ``None`` when it no longer applies (or a digest has nothing to list)."""
    lookups = lookups or Lookups()
    if not still_applies(reminder, today):
        return None
    language = language_of(reminder.recipient)
    with translation.override(language):
        if reminder.kind == Kind.DIGEST:
            rendered = _digest(reminder, language, lookups)
            attachment = None
        else:
            rendered, due = _cycle_message(reminder, language, lookups)
            attachment = calendar_of([due], method="PUBLISH")
    if rendered is None:
        return None
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient.email],
        headers={"Content-Language": language, "X-Training-Reminder": str(reminder.pk)},
    )
    email.attach_alternative(rendered.html, "text/html")
    if attachment:
        email.attach("due-date.ics", attachment, "text/calendar")
    return email


def _cycle_message(reminder: Reminder, language: str, lookups: Lookups) -> tuple[RenderedMessage, DueDate]:
    enrollment = reminder.cycle.enrollment
    title, link = lookups.course(enrollment.course, language)
    learner = enrollment.user
    manager = getattr(getattr(learner, "staff_profile", None), "manager", None)
    due_on = reminder.due_on or reminder.cycle.due_on
    values = {
        "name": name_of(reminder.recipient, language),
        "learner": name_of(learner, language),
        "manager": name_of(manager, language) if manager else "",
        "course": title,
        "due_date": due_on,
        "days": abs((due_on - reminder.send_on).days),
    }
    subject, body = lookups.wording_for(reminder.kind, language)
    rendered = render_message(language, subject, body, values, link=link, link_label=gettext("Open the course"))
    return rendered, DueDate(reminder.cycle_id, title, due_on, link)


def digest_items(manager, on: datetime.date, lookups: Lookups | None = None) -> list[DigestItem]:
    """The manager's team's training that needs attention on ``on``: overdue, in grace or expired, and what
    falls due within the week ahead; in the active language, soonest first."""
    language = translation.get_language()
    week_end = on + datetime.timedelta(days=7)
    enrollments = (
        Enrollment.objects.required(on)
        .for_team_of(manager)
        .with_status(on=on)
        .select_related("course", "user__staff_profile")
        .order_by("status_date", "user__username")
    )
    lookups = lookups or Lookups()
    items = []
    for enrollment in enrollments:
        due_soon = enrollment.status in DUE_STATUSES and enrollment.status_date and enrollment.status_date <= week_end
        if enrollment.status not in DIGEST_STATUSES and not due_soon:
            continue
        title, link = lookups.course(enrollment.course, language)
        items.append(
            DigestItem(
                learner=name_of(enrollment.user, language),
                course=title,
                status=Status(enrollment.status).label,
                date=enrollment.status_date,
                link=link,
            )
        )
    return items


def _digest(reminder: Reminder, language: str, lookups: Lookups) -> RenderedMessage | None:
    items = digest_items(reminder.recipient, reminder.send_on, lookups)
    if not items:
        return None
    values = {
        "name": name_of(reminder.recipient, language),
        "count": len(items),
        "week": reminder.send_on,
    }
    subject, body = lookups.wording_for(Kind.DIGEST, language)
    link = team_report_url()
    return render_message(
        language, subject, body, values, link=link, link_label=gettext("Open the team's report"), items=items
    )
