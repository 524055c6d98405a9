from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.forms import LoginForm
from courses.models import Enrollment, localize_courses


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's own training: what is due, what is in progress, what is done."""
    enrollments = localize_courses(Enrollment.objects.for_user(request.user).with_progress())
    open_enrollments = [enrollment for enrollment in enrollments if not enrollment.is_complete]
    sections = [
        (_("Due"), sorted((e for e in open_enrollments if e.due_date), key=lambda e: e.due_date)),
        # In the order of enrolment, which is the order of a learning path.
        (
            _("In progress"),
            sorted((e for e in open_enrollments if not e.due_date), key=lambda e: (e.enrolled_at, e.pk)),
        ),
        (_("Completed"), sorted((e for e in enrollments if e.is_complete), key=lambda e: e.completed_at, reverse=True)),
    ]
    return render(request, "courses/dashboard.html", {"sections": sections, "enrolled": bool(enrollments)})


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
