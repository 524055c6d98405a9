"""Table columns of the compliance reports: names, local dates, statuses as coloured words."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from courses.formatting import local_date
from courses.models import StaffProfile, Status

NOT_REQUIRED = _("Not required")

#: Each status's tone: the cell's colour class, always beside the status in words.
TONES = {
    Status.NOT_STARTED: "pending",
    Status.IN_PROGRESS: "pending",
    Status.OVERDUE: "bad",
    Status.VALID: "good",
    Status.REFRESHER_DUE: "due",
    Status.IN_GRACE: "due",
    Status.EXPIRED: "bad",
}


class TextColumn(Column):
    """Text in a plain cell, written here rather than through a template: the matrix has many cells per page."""

    def render_cell_html(self, instance, parent_context):
        return format_html("<td>{}</td>", self.get_value(instance))


class PersonColumn(TitleColumn):
    """A person's name in the admin's language, linked to their training history (their staff profile's)."""

    def render_cell_html(self, instance, parent_context):
        url = self.history_url(instance)
        if not url:
            return format_html('<td class="title">{}</td>', self.get_value(instance))
        return format_html(
            '<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
            url,
            self.get_value(instance),
        )

    def __init__(self, name, *, staff_profile, **kwargs):
        self.staff_profile = staff_profile
        super().__init__(name, get_url=self.history_url, **kwargs)

    def history_url(self, instance) -> str:
        profile = self.staff_profile(instance)
        return history_url(profile) if profile else ""

    def get_value(self, instance):
        profile = self.staff_profile(instance)
        return profile.name_for(get_language()) if profile else ""


def history_url(profile: StaffProfile) -> str:
    """The address of ``profile``'s training history: the staff profile's own screen in the training admin."""
    return reverse("staff_profiles:inspect", args=[profile.pk])


class LocalDateColumn(TextColumn):
    """A date in the admin's language and calendar (Jalali with Persian digits in Persian)."""

    def get_value(self, instance):
        return local_date(super().get_value(instance), "short")


class StatusColumn(Column):
    """A status as a word on its colour, with its date beneath; an empty cell says why it is empty.

    The matrix has a cell per person and course, so cells are written here rather than through a
    template each: a page of fifty people and eight courses is four hundred of them.
    """

    def __init__(self, name, *, cell, **kwargs):
        self.cell = cell
        super().__init__(name, **kwargs)

    def render_cell_html(self, instance, parent_context):
        cell = self.cell(instance)
        if not cell:
            return format_html('<td class="compliance-cell"><span class="compliance-none">{}</span></td>', NOT_REQUIRED)
        date = local_date(cell.date, "short")
        return format_html(
            '<td class="compliance-cell compliance-cell--{}"><span class="compliance-status">{}</span>{}</td>',
            TONES[cell.status],
            cell.label,
            format_html('<span class="compliance-date">{}</span>', date) if date else "",
        )
