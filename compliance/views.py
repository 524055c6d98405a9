"""The compliance reports in the Wagtail admin, built on Wagtail's report views.

Every report starts from what the viewer may see (``visible_to``): trainers and administrators see
everyone, managers their own team. Filters, search, sorting, paging and exports only narrow that.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import cached_property

from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from compliance.columns import LocalDateColumn, PersonColumn, StatusColumn, TextColumn, history_url
from compliance.exports import AuditedExportMixin
from compliance.filters import (
    EnrollmentReportFilterSet,
    MatrixFilterSet,
    canonical_courses,
    due_soon_filter,
    due_soon_window,
    localized_titles,
)
from compliance.matrix import EXPORT_CHUNK, Cell, Matrix, manager_name
from courses.formatting import local_date
from courses.models import Enrollment, StaffProfile, Status
from courses.models.staff import sees_everyone

#: Who may open the reports: whoever may view enrolments (trainers, managers, administrators).
enrollment_permissions = ModelPermissionPolicy(Enrollment)

#: The matrix's sortable columns and the fields each sorts by; the last of them keep paging stable.
MATRIX_ORDERINGS = {
    "name": ["user__last_name", "user__first_name", "user__username"],
    "department": ["department", "user__last_name", "user__first_name", "user__username"],
    "manager": ["manager__last_name", "manager__first_name", "user__last_name", "user__first_name", "user__username"],
    "hire_date": ["hire_date", "user__last_name", "user__first_name", "user__username"],
}


def scope_description(user) -> str:
    if sees_everyone(user):
        return gettext("Everyone")
    profile = StaffProfile.objects.filter(user=user).select_related("user").first()
    name = profile.name_for(get_language()) if profile else user.get_full_name() or user.get_username()
    return gettext("Team of %(manager)s") % {"manager": name}


class ComplianceReportView(AuditedExportMixin, ReportView):
    """A report only for those who may view enrolments, exported with its parameters and SHA-256."""

    permission_policy = enrollment_permissions
    any_permission_required = ["view"]
    search_backend_name = None
    is_searchable = True

    def get_filtered_queryset(self):
        """The listing's queryset, which ``get_queryset`` has already filtered. Wagtail's report view filters it a
        second time, and a filter by status twice over is two subqueries the database misjudges together: on
        PostgreSQL it then joins ten thousand people by nested loops."""
        return self.get_queryset()

    @cached_property
    def day(self) -> datetime.date:
        """The day the report shows (its filters' "as of"), today unless another was asked for."""
        return self.filters.day

    def get_page_subtitle(self):
        return gettext("As of %(day)s") % {"day": local_date(self.day)}

    def export_day(self) -> datetime.date:
        return self.day

    def export_parameters(self) -> list[tuple[str, str]]:
        parameters = [
            (gettext("Report"), str(self.page_title)),
            (gettext("As of"), self.export_day().isoformat()),
            (gettext("Scope"), scope_description(self.request.user)),
            (gettext("Exported by"), self.request.user.get_username()),
            (gettext("Exported at"), timezone.localtime().isoformat(timespec="seconds")),
        ]
        if self.filters and self.filters.is_valid():
            for name, value in self.filters.form.cleaned_data.items():
                if name != "on" and value not in (None, "", [], slice(None, None)):
                    label = str(self.filters.form.fields[name].label)
                    parameters.append((label, _describe(value)))
        if self.search_query:
            parameters.append((gettext("Search"), self.search_query))
        if self.ordering:
            parameters.append((gettext("Sorted by"), self.ordering))
        query = self.request.GET.copy()
        query.pop("export", None)
        query["on"] = self.export_day().isoformat()
        parameters.append((gettext("Address"), f"{self.request.path}?{query.urlencode()}"))
        return parameters


class MatrixView(ComplianceReportView):
    """People by courses, on today or an earlier day, filtered, sorted, paged and exported."""

    page_title = _("Compliance matrix")
    header_icon = "table"
    model = StaffProfile
    index_url_name = "compliance:matrix"
    index_results_url_name = "compliance:matrix_results"
    filterset_class = MatrixFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__username", "persian_name"]
    default_ordering = "name"
    paginate_by = 50
    list_export = ["matrix"]
    table_classname = "listing compliance-matrix"
    export_filename = "compliance-matrix"

    def get_base_queryset(self):
        return StaffProfile.objects.visible_to(self.request.user).select_related("user", "manager__staff_profile")

    def get_valid_orderings(self):
        return [prefix + key for key in MATRIX_ORDERINGS for prefix in ("", "-")]

    def order_queryset(self, queryset):
        descending = self.ordering.startswith("-")
        fields = MATRIX_ORDERINGS[self.ordering.removeprefix("-")]
        # People without a hire date or manager come last whichever way the column is sorted.
        return queryset.order_by(
            *[F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True) for field in fields]
        )

    @cached_property
    def courses(self):
        course = self.filters.form.cleaned_data.get("course") if self.filters.is_valid() else None
        return [course] if course else list(canonical_courses())

    @cached_property
    def matrix(self) -> Matrix:
        return Matrix(self.get_filtered_queryset(), self.courses, self.day)

    @cached_property
    def columns(self):
        language = get_language()
        return [
            PersonColumn(
                "name",
                label=_("Name"),
                sort_key="name",
                staff_profile=lambda person: person,
            ),
            TextColumn("department", label=_("Department"), sort_key="department"),
            TextColumn("manager", label=_("Manager"), sort_key="manager", accessor=lambda p: manager_name(p, language)),
            LocalDateColumn("hire_date", label=_("Hire date"), sort_key="hire_date"),
            *[
                StatusColumn(f"course_{course.pk}", label=title, cell=lambda p, i=i: p.cells[i])
                for i, (course, title) in enumerate(zip(self.courses, self.matrix.titles, strict=True))
            ],
        ]

    def decorate_paginated_queryset(self, object_list):
        return self.matrix.cells_for(object_list)

    # Exports

    export_sheet_title = _("Matrix")

    def export_header(self) -> list[str]:
        return self.matrix.headings()

    def export_rows(self) -> Iterator[list]:
        return self.matrix.rows()


class MatrixResultsView(MatrixView):
    results_only = True


def _describe(value) -> str:
    if isinstance(value, slice):
        return "–".join("" if end is None else end.isoformat() for end in (value.start, value.stop))
    if isinstance(value, list | tuple):
        return ", ".join(str(Status(item).label) for item in value)
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    return str(value)


class EnrollmentReportView(ComplianceReportView):
    """A list of required enrolments in the viewer's scope, by status, with the learner's name linked to their
    history."""

    model = Enrollment
    filterset_class = EnrollmentReportFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__username", "user__staff_profile__persian_name"]
    list_export = ["learner", "course", "status", "status_date", "department", "manager"]
    export_headings = {
        "learner": _("Learner"),
        "course": _("Course"),
        "status": _("Status"),
        "status_date": _("Date"),
        "department": _("Department"),
        "manager": _("Manager"),
    }

    def get_base_queryset(self):
        return (
            self.candidates(Enrollment.objects.visible_to(self.request.user).required(self.day))
            .with_status(self.day)
            .filter(self.status_filter())
            .select_related("course", "user__staff_profile__manager__staff_profile")
            .order_by("status_date", "user__last_name", "user__first_name")
        )

    def candidates(self, enrollments):
        """``enrollments`` narrowed to those that may pass :meth:`status_filter`, before their status is worked out."""
        return enrollments

    def status_filter(self):
        raise NotImplementedError

    @cached_property
    def titles(self) -> dict:
        return localized_titles(canonical_courses().values_list("translation_key", flat=True))

    def course_title(self, enrollment: Enrollment) -> str:
        return self.titles.get(enrollment.course.translation_key, enrollment.course.title)

    @cached_property
    def columns(self):
        language = get_language()
        return [
            PersonColumn(
                "learner",
                label=_("Learner"),
                staff_profile=lambda enrollment: _profile(enrollment),
            ),
            TextColumn("course", label=_("Course"), accessor=self.course_title),
            StatusColumn(
                "status",
                label=_("Status"),
                cell=lambda enrollment: Cell(enrollment.status, enrollment.status_date, enrollment.pk),
            ),
            Column("department", label=_("Department"), accessor=lambda e: getattr(_profile(e), "department", "")),
            Column("manager", label=_("Manager"), accessor=lambda e: _manager_name(e, language)),
        ]

    def export_header(self) -> list[str]:
        return [str(self.export_headings[field]) for field in self.list_export]

    def export_rows(self) -> Iterator[list]:
        language = get_language()
        for enrollment in self.get_filtered_queryset().iterator(chunk_size=EXPORT_CHUNK):
            profile = _profile(enrollment)
            yield [
                profile.name_for(language) if profile else enrollment.user.get_username(),
                self.course_title(enrollment),
                str(enrollment.get_status_display()),
                enrollment.status_date,
                profile.department if profile else "",
                _manager_name(enrollment, language),
            ]


def _profile(enrollment: Enrollment) -> StaffProfile | None:
    return getattr(enrollment.user, "staff_profile", None)


def _manager_name(enrollment: Enrollment, language: str) -> str:
    profile = _profile(enrollment)
    return manager_name(profile, language) if profile else ""


class OverdueView(EnrollmentReportView):
    page_title = _("Overdue training")
    header_icon = "warning"
    index_url_name = "compliance:overdue"
    index_results_url_name = "compliance:overdue_results"
    export_filename = "overdue-training"

    def status_filter(self):
        return Q(status=Status.OVERDUE)


class DueSoonView(EnrollmentReportView):
    page_title = _("Training due soon")
    header_icon = "time"
    index_url_name = "compliance:due_soon"
    index_results_url_name = "compliance:due_soon_results"
    export_filename = "training-due-soon"

    def candidates(self, enrollments):
        return enrollments.may_have_open_work_due(*due_soon_window(self.day), on=self.day)

    def status_filter(self):
        return due_soon_filter(self.day)


class OverdueResultsView(OverdueView):
    results_only = True


class DueSoonResultsView(DueSoonView):
    results_only = True


class HistoryView(PermissionCheckedMixin, View):
    """A person's training history from the reports: the staff profile's screen, for whoever may see them."""

    permission_policy = enrollment_permissions
    any_permission_required = ["view"]

    def get(self, request, user_id: int):
        profile = get_object_or_404(StaffProfile.objects.visible_to(request.user), user_id=user_id)
        return redirect(history_url(profile))
