from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from compliance import urls
from compliance.panels import CompliancePanel


@hooks.register("register_admin_urls")
def register_compliance_urls():
    return [path("compliance/", include(urls, namespace="compliance"))]


class ComplianceMenuItem(MenuItem):
    """Shown to whoever may view enrolments: trainers, managers, administrators."""

    def is_shown(self, request):
        return request.user.has_perm("courses.view_enrollment")


@hooks.register("register_reports_menu_item")
def register_matrix_menu_item():
    return ComplianceMenuItem(_("Compliance matrix"), reverse("compliance:matrix"), icon_name="table", order=10)


@hooks.register("register_reports_menu_item")
def register_overdue_menu_item():
    return ComplianceMenuItem(_("Overdue training"), reverse("compliance:overdue"), icon_name="warning", order=11)


@hooks.register("register_reports_menu_item")
def register_due_soon_menu_item():
    return ComplianceMenuItem(_("Training due soon"), reverse("compliance:due_soon"), icon_name="time", order=12)


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request, panels):
    if request.user.has_perm("courses.view_enrollment"):
        panels.append(CompliancePanel(request.user))


@hooks.register("insert_global_admin_css")
def compliance_css():
    return format_html('<link rel="stylesheet" href="{}">', static("compliance/compliance.css"))
