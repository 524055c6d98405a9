"""The learner's side: marking notifications read, and the private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from reminders.calendar import calendar_of
from reminders.messages import language_of
from reminders.models import CalendarFeed, Reminder
from reminders.notifications import due_dates_of, forget_unread_count


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "courses:dashboard")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    Reminder.objects.notifications_for(request.user).filter(pk=pk).update(read_at=timezone.now())
    forget_unread_count(request.user)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Reminder.objects.notifications_for(request.user).unread().update(read_at=timezone.now())
    forget_unread_count(request.user)
    return _back(request)


@login_required
@require_POST
def new_calendar_link(request: HttpRequest) -> HttpResponse:
    """Create the learner's calendar feed, or replace its secret link (the old one stops working)."""
    feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        feed.regenerate()
        messages.success(request, gettext("Your calendar has a new link; the old one no longer works."))
    return _back(request)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The due dates of the learner whose secret token this is, for their calendar app to subscribe to."""
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    if feed is None:
        raise Http404
    with translation.override(language_of(feed.user)):
        body = calendar_of(due_dates_of(feed.user), name=gettext("Training due dates"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response
