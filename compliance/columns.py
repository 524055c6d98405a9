"""Table columns of the compliance reports: names, local dates, statuses as coloured words."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language
from wagtail.admin.ui.tables import Column, TitleColumn

from courses.formatting import local_date
from courses.models import Status

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


class PersonColumn(TitleColumn):
    """A person's name in the admin's language, linked to their training history."""

    def __init__(self, name, *, user_id, staff_profile, **kwargs):
        self.user_id = user_id
        self.staff_profile = staff_profile
        super().__init__(name, get_url=self.history_url, **kwargs)

    def history_url(self, instance) -> str:
        return reverse("compliance:history", args=[self.user_id(instance)])

    def get_value(self, instance):
        profile = self.staff_profile(instance)
        return profile.name_for(get_language()) if profile else ""


class LocalDateColumn(Column):
    """A date in the admin's language and calendar (Jalali with Persian digits in Persian)."""

    def get_value(self, instance):
        return local_date(super().get_value(instance), "short")


class StatusColumn(Column):
    """A status as a word on its colour, with its date beneath; an empty cell says why it is empty."""

    cell_template_name = "compliance/cells/status.html"

    def __init__(self, name, *, cell, **kwargs):
        self.cell = cell
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        cell = self.cell(instance)
        if cell:
            context.update(status=cell.label, tone=TONES[cell.status], date=local_date(cell.date, "short"))
        return context
