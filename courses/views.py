import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from courses.forms import LoginForm
from courses.models import Enrollment, Status, attach_histories, localize_courses, rule_progress

#: The dashboard's sections, in order: what to do first comes first.
DASHBOARD_SECTIONS = [
    (_("Overdue"), {Status.OVERDUE, Status.IN_GRACE, Status.EXPIRED}),
    (_("Refresher due"), {Status.REFRESHER_DUE}),
    (_("In progress"), {Status.IN_PROGRESS}),
    (_("Not started"), {Status.NOT_STARTED}),
    (_("Valid"), {Status.VALID}),
]


@login_required
@cache_control(private=True, no_store=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's own training, grouped by what to do: overdue, refresher due, in progress, not started, valid."""
    enrollments = attach_histories(
        localize_courses(
            Enrollment.objects.with_progress_and_status()
            .for_user(request.user)
            .select_related("course__locale", "rule")
        )
    )
    # Soonest date first; no date last; then in the order of enrolment, which is the order of a rule's courses.
    enrollments.sort(key=lambda e: (e.status_date is None, e.status_date or datetime.date.max, e.enrolled_at, e.pk))
    sections = [
        (heading, [enrollment for enrollment in enrollments if enrollment.status in statuses])
        for heading, statuses in DASHBOARD_SECTIONS
    ]
    context = {"sections": sections, "enrolled": bool(enrollments), "rules": rule_progress(enrollments)}
    return render(request, "courses/dashboard.html", context)


class LoginView(auth_views.LoginView):
    """Django's login, sending staff on to their preferred language."""

    template_name = "courses/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        profile = getattr(self.request.user, "staff_profile", None)
        if profile and profile.preferred_language:
            return translate_url(url, profile.preferred_language)
        return url


class LogoutView(auth_views.LogoutView):
    """Django's logout, saying on the next page that it is done."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Logging out empties the session; the message goes in a cookie (Django's default storage).
        messages.success(request, gettext("You have logged out."))
        return response


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page names: the site's icon."""
    return HttpResponsePermanentRedirect(static("courses/favicon.ico"))
