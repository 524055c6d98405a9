from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from certificates import admin_urls
from certificates.admin_views import permission_policy
from certificates.models import Certificate
from certificates.tasks import issue_certificate, render_certificate
from certificates.viewsets import CertificateTemplateViewSet
from courses.roles import ADMINISTRATORS, MANAGERS, ROLE_PERMISSIONS_HOOK, TRAINERS
from courses.task_recovery import RERUNNABLE_TASKS_HOOK
from courses.viewsets import HISTORY_PANELS_HOOK, TRAINING_MENU_HOOK

register_snippet(CertificateTemplateViewSet)


@hooks.register(RERUNNABLE_TASKS_HOOK)
def rerunnable_tasks():
    """Issuing and rendering a certificate finish what an interrupted run began, and never issue twice."""
    return [issue_certificate, render_certificate]


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/", include(admin_urls, namespace="certificates_admin"))]


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "view")


@hooks.register(TRAINING_MENU_HOOK)
def register_certificate_register_menu_item():
    return RegisterMenuItem(
        _("Certificate register"), reverse("certificates_admin:register"), icon_name="doc-full", order=130
    )


@hooks.register("register_permissions")
def register_certificate_permissions():
    """Viewing the register, revoking and re-issuing, assignable to groups in the admin."""
    return Permission.objects.filter(
        content_type__app_label="certificates",
        codename__in=["view_certificate", "revoke_certificate", "reissue_certificate"],
    )


@hooks.register("training_dashboard_panels")
def dashboard_certificates(context) -> str:
    """The learner's current certificates (valid, expiring, expired or revoked) with their status, on the dashboard:
    one per course, however long their history. Those a newer one superseded are on each course's page."""
    request = context["request"]
    certificates = Certificate.objects.held_by(request.user).issued().current().with_status().order_by("-issued_at")
    if not certificates:
        return ""
    return render_to_string(
        "certificates/panels/certificates.html",
        {"certificates": certificates, "heading": _("My certificates")},
        request=request,
    )


@hooks.register("training_course_panels")
def course_certificates(context) -> str:
    """The certificates of this course's enrolment, on the course page."""
    enrollment = context.get("enrollment")
    if enrollment is None or (enrollment.cycle == 1 and not enrollment.is_complete):
        # A first cycle not complete yet: no completion, so no certificate to look for.
        return ""
    certificates = Certificate.objects.filter(completion__enrollment=enrollment).issued().with_status()
    certificates = certificates.order_by("-issued_at")
    if not certificates:
        return ""
    return render_to_string(
        "certificates/panels/certificates.html",
        {"certificates": certificates, "heading": _("Your certificates for this course")},
        request=context["request"],
    )


@hooks.register(HISTORY_PANELS_HOOK)
def history_certificates(request, learner) -> str:
    """The learner's certificates, as the register lists them, on their training history, for those who see it."""
    if not permission_policy.user_has_permission(request.user, "view"):
        return ""
    certificates = Certificate.objects.visible_to(request.user).held_by(learner).with_status().order_by("-created_at")
    if not certificates:
        return ""
    return render_to_string("certificates/admin/history_panel.html", {"certificates": certificates}, request=request)


@hooks.register(ROLE_PERMISSIONS_HOOK)
def certificate_role_permissions():
    """Trainers brand certificates, keep the register, revoke and re-issue; managers see their team's."""
    templates = [f"certificates.{action}_certificatetemplate" for action in ("add", "change", "delete", "view")]
    register = ["certificates.view_certificate", "certificates.revoke_certificate", "certificates.reissue_certificate"]
    return {TRAINERS: [*templates, *register], ADMINISTRATORS: [*templates, *register], MANAGERS: register[:1]}
