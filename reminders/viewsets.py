"""Admin screens: the reminders sent and queued (with a resend button), the wording, per-course schedules."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.viewsets import TRAINING_MENU_HOOK
from reminders.models import Reminder, ReminderSchedule, ReminderWording
from reminders.tasks import send_reminders


class ReminderFilterSet(WagtailFilterSet):
    send_on = django_filters.DateFromToRangeFilter(label=_("For the day"), widget=DateRangePickerWidget)

    class Meta:
        model = Reminder
        fields = ["state", "kind", "send_on"]


class ReminderPermissionPolicy(ModelPermissionPolicy):
    """Reminders are written by the sweep only: nobody adds, edits or deletes them in the admin.
    Resending asks for the change permission (see :class:`ResendView`)."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


def can_resend(user) -> bool:
    return user.has_perm("reminders.change_reminder")


class ReminderIndexView(model_views.IndexView):
    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])


class ReminderInspectView(model_views.InspectView):
    @cached_property
    def header_buttons(self):
        if not can_resend(self.request.user):
            return []
        url = reverse("reminder_admin:resend", args=[self.object.pk])
        return [HeaderButton(gettext("Resend"), url=url, icon_name="mail")]


class ResendView(WagtailAdminTemplateMixin, TemplateView):
    """Ask to confirm, then queue a reminder again and have a worker send it."""

    template_name = "reminders/admin/resend.html"
    page_title = _("Resend reminder")
    header_icon = "mail"

    def dispatch(self, request, pk):
        if not can_resend(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(Reminder, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}

    def post(self, request, pk):
        self.object.resend()
        send_reminders.enqueue()
        messages.success(request, gettext("The reminder is queued and will be sent again."))
        return redirect("reminder_admin:inspect", self.object.pk)


class ReminderViewSet(ModelViewSet):
    """Reminders and their state, filterable; a trainer can resend one."""

    model = Reminder
    icon = "mail"
    menu_label = _("Reminders")
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 130
    index_view_class = ReminderIndexView
    inspect_view_class = ReminderInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ReminderFilterSet
    form_fields = ["state"]
    list_display = [
        Column("__str__", label=_("Reminder")),
        Column("course", label=_("Course")),
        Column("recipient", label=_("Recipient")),
        Column("get_kind_display", label=_("Kind")),
        DateColumn("send_on", label=_("For the day")),
        Column("state_description", label=_("State")),
        Column("attempts", label=_("Attempts")),
        DateColumn("sent_at", label=_("Sent at")),
    ]
    list_export = ["recipient", "kind", "step", "send_on", "due_on", "state", "attempts", "last_error", "sent_at"]
    search_fields = ["recipient__username", "recipient__first_name", "recipient__last_name", "step"]
    inspect_view_fields = [
        "recipient",
        "kind",
        "step",
        "cycle",
        "due_on",
        "send_on",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "read_at",
        "created_at",
    ]

    def get_queryset(self, request):
        return Reminder.objects.select_related("recipient", "cycle__enrollment__course")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("resend/<int:pk>/", ResendView.as_view(), name="resend")]


class ReminderWordingForm(WagtailAdminModelForm):
    # The site's languages, read when the form is built: a site's own LANGUAGES never calls for a migration.
    language = forms.ChoiceField(label=_("Language"), choices=lambda: settings.LANGUAGES)

    class Meta:
        model = ReminderWording
        fields = ["kind", "language", "subject", "body"]


class ReminderWordingViewSet(SnippetViewSet):
    """What each kind of reminder says, per language, with a preview."""

    model = ReminderWording
    icon = "mail"
    menu_label = _("Reminder wording")
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 140
    list_display = ["__str__", "subject"]
    list_filter = ["kind", "language"]

    def get_form_class(self, for_update=False):
        return ReminderWordingForm


class ReminderScheduleViewSet(SnippetViewSet):
    """A course's own reminder schedule."""

    model = ReminderSchedule
    icon = "time"
    menu_label = _("Reminder schedules")
    menu_hook = TRAINING_MENU_HOOK
    menu_order = 150
    list_display = ["course", "days_before", "overdue_every_days", "overdue_limit", "escalate_after_days"]
    form_fields = [
        "course",
        "days_before",
        "overdue_every_days",
        "overdue_limit",
        "copy_manager",
        "escalate_after_days",
    ]
