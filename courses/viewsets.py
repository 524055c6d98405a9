"""Admin screens of the training apps, built from Wagtail's viewsets.

Two menu groups collect the screens: *Training* (enrolments, staff, learning paths)
and *Activities* (one screen per activity type). A module app adds its activity
type's screen by subclassing :class:`ActivityViewSet` and registering it as a
snippet; it lands in the Activities menu through :data:`ACTIVITY_MENU_HOOK`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, HeaderButton
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.admin_display import ReadableIndexView, ReadableInspectView, ReadableValuesMixin
from courses.exports import SafeSpreadsheetExportMixin
from courses.models import (
    AssignmentRule,
    CoursePage,
    Cycle,
    Enrollment,
    QuizActivity,
    ReflectionActivity,
    StaffProfile,
    attach_histories,
    localize_courses,
)
from courses.staff_import_views import StaffImportView

ACTIVITY_MENU_HOOK = "register_training_activities_menu_item"
TRAINING_MENU_HOOK = "register_training_menu_item"
#: Other apps' panels on a learner's training history (the staff profile's inspect screen): functions
#: taking the request and the learner and returning HTML, or "" for nothing (certificates list theirs).
HISTORY_PANELS_HOOK = "register_training_history_panel"


# Activities


class ActivityViewSet(SnippetViewSet):
    """The admin screens of one activity type. Module apps subclass this for their types."""

    menu_hook = ACTIVITY_MENU_HOOK
    list_display = ["title", UpdatedAtColumn(), LiveStatusTagColumn()]
    list_filter = ["live"]
    search_fields = ["title"]
    ordering = ["title"]


class QuizViewSet(ActivityViewSet):
    model = QuizActivity
    icon = "list-ul"
    menu_order = 100


class ReflectionViewSet(ActivityViewSet):
    model = ReflectionActivity
    icon = "edit"
    menu_order = 110


class ActivitiesMenu(ViewSetGroup):
    menu_label = _("Activities")
    menu_icon = "tasks"
    menu_order = 210
    submenu_hook = ACTIVITY_MENU_HOOK


# Training records


class VisibleObjectMixin:
    """Opens only what the listing shows the user: another team's record is not found, whatever its id."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.model._default_manager.visible_to(self.request.user).filter(pk=instance.pk).exists():
            raise Http404
        return instance


class VisibleInspectView(VisibleObjectMixin, ReadableInspectView):
    pass


class VisibleEditView(VisibleObjectMixin, model_views.EditView):
    pass


class VisibleDeleteView(VisibleObjectMixin, model_views.DeleteView):
    pass


class EnrollmentCreateForm(WagtailAdminModelForm):
    """A trainer enrols one learner, by a due date; the enrolment is recorded as assigned by them."""

    due_date = forms.DateField(label=_("Due date"), required=False, widget=AdminDateInput)

    class Meta:
        model = Enrollment
        fields = ["user", "course"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.canonical().order_by("title")

    @transaction.atomic
    def save(self, commit=True):
        self.instance.source = Enrollment.Source.ASSIGNED
        self.instance.assigned_by = self.for_user
        enrollment = super().save(commit)
        Cycle.objects.create(
            enrollment=enrollment, number=1, opened_on=timezone.localdate(), due_on=self.cleaned_data["due_date"]
        )
        return enrollment


class EnrollmentEditForm(WagtailAdminModelForm):
    """A trainer moves the due date of the cycle in progress."""

    due_date = forms.DateField(label=_("Due date of the cycle in progress"), required=False, widget=AdminDateInput)

    class Meta:
        model = Enrollment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_cycle = self.instance.cycles.filter(number=self.instance.cycle).first()
        if self.current_cycle:
            self.initial["due_date"] = self.current_cycle.due_on

    def save(self, commit=True):
        if self.current_cycle:
            self.current_cycle.due_on = self.cleaned_data["due_date"]
            self.current_cycle.save(update_fields=["due_on"])
        return super().save(commit)


class EnrollmentDeleteView(VisibleDeleteView):
    """Refuses to delete an enrolment that holds completions: those records are kept for good."""

    def run_before_hook(self):
        if self.object.completions.exists():
            messages.error(
                self.request, gettext("This enrolment has completed training on record and cannot be deleted.")
            )
            return redirect(self.index_url_name)
        return super().run_before_hook()


class EnrollmentIndexView(SafeSpreadsheetExportMixin, ReadableIndexView):
    def get_base_queryset(self):
        """Everyone's enrolments for those who manage enrolments; a manager's own team for the others."""
        return Enrollment.objects.visible_to(self.request.user).with_progress().with_status().select_related("user")


class EnrollmentViewSet(ReadableValuesMixin, ModelViewSet):
    model = Enrollment
    index_view_class = EnrollmentIndexView
    inspect_view_class = VisibleInspectView
    edit_view_class = VisibleEditView
    icon = "user"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 100
    delete_view_class = EnrollmentDeleteView
    list_display = [
        "user",
        "course",
        Column("get_source_display", label=_("How enrolled")),
        Column("progress_percent", label=_("Progress (%)")),
        Column("get_status_display", label=_("Status")),
        DateColumn("status_date", label=_("Status date")),
        DateColumn("enrolled_at", label=_("Enrolled at")),
    ]
    list_export = ["user", "course", "source", "status", "status_date", "enrolled_at", "cycle"]
    list_filter = ["source", "course"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return EnrollmentEditForm if for_update else EnrollmentCreateForm


class StaffProfileForm(WagtailAdminModelForm):
    preferred_language = forms.ChoiceField(
        label=capfirst(_("preferred language")), choices=[("", "---------"), *settings.LANGUAGES], required=False
    )

    class Meta:
        model = StaffProfile
        fields = ["user", "hire_date", "department", "manager", "preferred_language"]


class StaffProfileIndexView(SafeSpreadsheetExportMixin, ReadableIndexView):
    import_url_name = None

    def get_base_queryset(self):
        """Everyone's profiles for trainers and administrators; a manager's own team for managers."""
        return StaffProfile.objects.visible_to(self.request.user).select_related("user", "manager")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.user_has_permission("add"):
            buttons.append(HeaderButton(_("Import staff"), url=reverse(self.import_url_name), icon_name="upload"))
        return buttons


class StaffHistoryView(VisibleObjectMixin, model_views.InspectView):
    """A learner's profile and full training history: every course, cycle, completion and attempt, then what
    other apps add through :data:`HISTORY_PANELS_HOOK`. The one history screen: reports link here."""

    template_name = "courses/admin/staff_history.html"

    def get_page_subtitle(self):
        return self.object.name_for(get_language())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        learner = self.object.user
        enrollments = (
            Enrollment.objects.visible_to(self.request.user)
            .filter(user=learner)
            .with_status()
            .select_related("course", "rule", "assigned_by")
            .prefetch_related("attempts__activity")
            .order_by("course__path")
        )
        context["enrollments"] = attach_histories(localize_courses(enrollments))
        panels = (panel(self.request, learner) for panel in hooks.get_hooks(HISTORY_PANELS_HOOK))
        context["panels"] = [panel for panel in panels if panel]
        return context


class StaffProfileViewSet(ReadableValuesMixin, ModelViewSet):
    model = StaffProfile
    index_view_class = StaffProfileIndexView
    inspect_view_class = StaffHistoryView
    inspect_view_enabled = True
    edit_view_class = VisibleEditView
    delete_view_class = VisibleDeleteView
    icon = "group"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 110
    list_display = ["user", "department", "manager", Column("hire_date", label=_("Hire date"))]
    list_export = ["user", "department", "manager", "hire_date", "preferred_language"]
    list_filter = ["department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department"]

    def get_form_class(self, for_update=False):
        return StaffProfileForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    @property
    def import_view(self):
        return self.construct_view(StaffImportView, import_url_name=self.get_url_name("import"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", self.import_view, name="import")]


class AssignmentRuleViewSet(ModelViewSet):
    model = AssignmentRule
    icon = "list-ol"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 120
    list_display = ["name", Column("get_audience_display", label=_("Audience")), "is_active"]
    list_filter = ["is_active", "audience"]


class TrainingMenu(ViewSetGroup):
    menu_label = _("Training")
    menu_icon = "desktop"
    menu_order = 200
    submenu_hook = TRAINING_MENU_HOOK
