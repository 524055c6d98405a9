"""Admin pages Wagtail has nothing for: re-dating completions under a course's current refresher policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from courses.models import CoursePage
from courses.refreshers import apply_current_policy, completions_to_redate


def apply_policy(request, page_id: int):
    """GET: how many completions the course's current policy would re-date; POST: re-date them, logged."""
    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    if request.method == "POST":
        changed = apply_current_policy(course, request.user)
        messages.success(
            request,
            ngettext(
                "The current refresher policy now dates %(count)s completion.",
                "The current refresher policy now dates %(count)s completions.",
                changed,
            )
            % {"count": changed},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    context = {
        "page": course,
        "header_title": gettext("Apply the refresher policy to past completions"),
        "changes": completions_to_redate(course),
    }
    return TemplateResponse(request, "courses/admin/apply_policy.html", context)
