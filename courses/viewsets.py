"""Admin screens of the training apps, built from Wagtail's viewsets.

Two menu groups collect the screens: *Training* (enrolments, staff, learning paths)
and *Activities* (one screen per activity type). A module app adds its activity
type's screen by subclassing :class:`ActivityViewSet` and registering it as a
snippet; it lands in the Activities menu through :data:`ACTIVITY_MENU_HOOK`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.admin_display import ReadableIndexView, ReadableValuesMixin
from courses.models import (
    CoursePage,
    Enrollment,
    LearningPath,
    QuizActivity,
    ReflectionActivity,
    StaffProfile,
)

ACTIVITY_MENU_HOOK = "register_training_activities_menu_item"
TRAINING_MENU_HOOK = "register_training_menu_item"


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


class EnrollmentCreateForm(WagtailAdminModelForm):
    """A trainer enrols one learner; the enrolment is recorded as assigned by them."""

    class Meta:
        model = Enrollment
        fields = ["user", "course", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.canonical().order_by("title")

    def save(self, commit=True):
        self.instance.source = Enrollment.Source.ASSIGNED
        self.instance.assigned_by = self.for_user
        return super().save(commit)


class EnrollmentEditForm(WagtailAdminModelForm):
    class Meta:
        model = Enrollment
        fields = ["due_date"]


class EnrollmentDeleteView(model_views.DeleteView):
    """Refuses to delete an enrolment that holds completions: those records are kept for good."""

    def run_before_hook(self):
        if self.object.completions.exists():
            messages.error(
                self.request, gettext("This enrolment has completed training on record and cannot be deleted.")
            )
            return redirect(self.index_url_name)
        return super().run_before_hook()


class EnrollmentIndexView(ReadableIndexView):
    def get_base_queryset(self):
        """Everyone's enrolments for those who manage enrolments; a manager's own team for the others."""
        enrollments = Enrollment.objects.with_progress().select_related("user")
        if self.request.user.has_perm("courses.change_enrollment"):
            return enrollments
        return enrollments.for_team_of(self.request.user)


class EnrollmentViewSet(ReadableValuesMixin, ModelViewSet):
    model = Enrollment
    index_view_class = EnrollmentIndexView
    icon = "user"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 100
    delete_view_class = EnrollmentDeleteView
    list_display = [
        "user",
        "course",
        Column("get_source_display", label=_("How enrolled")),
        Column("progress_percent", label=_("Progress (%)")),
        Column("due_date", label=_("Due date")),
        DateColumn("enrolled_at", label=_("Enrolled at")),
    ]
    list_export = ["user", "course", "source", "due_date", "enrolled_at", "cycle"]
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


class StaffProfileIndexView(ReadableIndexView):
    def get_base_queryset(self):
        return StaffProfile.objects.select_related("user", "manager")


class StaffProfileViewSet(ReadableValuesMixin, ModelViewSet):
    model = StaffProfile
    index_view_class = StaffProfileIndexView
    icon = "group"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 110
    list_display = ["user", "department", "manager", Column("hire_date", label=_("Hire date"))]
    list_export = ["user", "department", "manager", "hire_date", "preferred_language"]
    list_filter = ["department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department"]

    def get_form_class(self, for_update=False):
        return StaffProfileForm


class LearningPathViewSet(ModelViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 120
    list_display = ["name", "is_onboarding"]


class TrainingMenu(ViewSetGroup):
    menu_label = _("Training")
    menu_icon = "desktop"
    menu_order = 200
    submenu_hook = TRAINING_MENU_HOOK
