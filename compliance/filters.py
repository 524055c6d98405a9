"""Filters of the compliance reports. Their choices come from the viewer's scope, never from everyone's."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.coreutils import get_supported_content_language_variant

from courses.conf import get_setting
from courses.models import CoursePage, Enrollment, StaffProfile, Status

#: The statuses of open work, which can be due soon.
OPEN_WORK = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.REFRESHER_DUE]


def due_soon_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days on which open work counts as due soon: today to ``TRAINING_DUE_SOON_DAYS`` on."""
    return today, today + datetime.timedelta(days=get_setting("DUE_SOON_DAYS"))


def due_soon_filter(today: datetime.date):
    """Open work (not started, in progress, refresher due) due between today and ``TRAINING_DUE_SOON_DAYS`` on."""
    return Q(status__in=OPEN_WORK, status_date__range=due_soon_window(today))


def localized_titles(translation_keys) -> dict:
    """Each course's title in the admin's language where it is translated, else in the original's."""
    courses = CoursePage.objects.filter(translation_key__in=set(translation_keys)).select_related("locale")
    titles = {}
    language = get_supported_content_language_variant(get_language())
    for course in courses.order_by("pk"):
        if course.translation_key not in titles or course.locale.language_code == language:
            titles[course.translation_key] = course.title
    return titles


def canonical_courses():
    """The courses learner records point at, in the order of the page tree."""
    return CoursePage.objects.canonical().order_by("path")


class ScopedFilterSet(WagtailFilterSet):
    """Fills the department and manager choices from the people the viewer may see."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        people = StaffProfile.objects.visible_to(request.user)
        departments = people.exclude(department="").order_by("department").values_list("department", flat=True)
        self.filters["department"].extra["choices"] = [(name, name) for name in departments.distinct()]
        managers = get_user_model().objects.filter(pk__in=people.filter(manager__isnull=False).values("manager"))
        self.filters["manager"].queryset = managers.order_by("last_name", "first_name", "username")


class ManagerChoiceFilter(django_filters.ModelChoiceFilter):
    """Everyone whose chain of managers reaches the one chosen."""

    def __init__(self, *args, team_field: str, **kwargs):
        self.team_field = team_field
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.team_field}__in": StaffProfile.objects.team_of(value).values("user")})


class AsOfFilterSet(ScopedFilterSet):
    """A report of any day: today unless another is asked for."""

    on = django_filters.DateFilter(
        label=_("As of"), method="as_of", widget=AdminDateInput, help_text=_("Show the report as it stood that day.")
    )

    @property
    def day(self):
        """The day the report shows: the one asked for, else today."""
        return (self.form.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()

    def as_of(self, queryset, name, value):
        # The day is the view's to apply: it changes the statuses, not the rows filtered here.
        return queryset


class MatrixFilterSet(AsOfFilterSet):
    """Filters of the matrix: who (department, manager, hire dates), which courses, which statuses, on which day."""

    department = django_filters.ChoiceFilter(label=_("Department"))
    manager = ManagerChoiceFilter(label=_("Manager"), team_field="user", queryset=get_user_model().objects.none())
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=canonical_courses(), method="in_course")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, method="with_status", widget=forms.CheckboxSelectMultiple
    )
    hire_date = django_filters.DateFromToRangeFilter(label=_("Hire date"), widget=DateRangePickerWidget)

    class Meta:
        model = StaffProfile
        fields = ["on", "department", "manager", "course", "status", "hire_date"]

    def in_course(self, queryset, name, value):
        return queryset.filter(user__in=self._required().filter(course=value).values("user"))

    def with_status(self, queryset, name, value):
        enrolments = self._required().with_status(self.day).filter(status__in=value)
        course = self.form.cleaned_data.get("course")
        if course:
            enrolments = enrolments.filter(course=course)
        return queryset.filter(user__in=enrolments.values("user"))

    def _required(self):
        return Enrollment.objects.required(self.day)


class EnrollmentReportFilterSet(AsOfFilterSet):
    """Filters of the overdue and due-soon lists."""

    department = django_filters.ChoiceFilter(label=_("Department"), field_name="user__staff_profile__department")
    manager = ManagerChoiceFilter(label=_("Manager"), team_field="user", queryset=get_user_model().objects.none())
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=canonical_courses())

    class Meta:
        model = Enrollment
        fields = ["on", "department", "manager", "course"]
