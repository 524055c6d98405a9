"""The compliance reports in the Wagtail admin, built on Wagtail's report views.

Every report starts from what the viewer may see (``visible_to``): trainers and administrators see
everyone, managers their own team. Filters, search, sorting, paging and exports only narrow that.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterator
from functools import cached_property

from django.db.models import F, Prefetch, Q
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from compliance.columns import TONES, LocalDateColumn, PersonColumn, StatusColumn, TextColumn
from compliance.filters import (
    EnrollmentReportFilterSet,
    MatrixFilterSet,
    canonical_courses,
    due_soon_filter,
    localized_titles,
)
from compliance.matrix import Cell, Fingerprint, Matrix, manager_name
from courses.formatting import local_date
from courses.models import Attempt, CourseCompletion, Cycle, Enrollment, StaffProfile, Status
from courses.models.staff import sees_everyone

#: The hook for other apps' panels on a learner's history page: functions taking the request and
#: the learner and returning HTML (the certificates app lists certificates there).
HISTORY_PANELS_HOOK = "compliance_history_panels"

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


class ComplianceReportView(ReportView):
    """A report only for those who may view enrolments."""

    permission_policy = enrollment_permissions
    any_permission_required = ["view"]
    search_backend_name = None
    is_searchable = True


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
    def day(self) -> datetime.date:
        return self.filters.day

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
                user_id=lambda person: person.user_id,
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

    def get_page_subtitle(self):
        return gettext("As of %(day)s") % {"day": local_date(self.day)}

    def decorate_paginated_queryset(self, object_list):
        return self.matrix.cells_for(object_list)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    # Exports

    def parameters(self) -> list[tuple[str, str]]:
        """What an auditor needs to make the same export again: the day, the scope, every filter."""
        parameters = [
            (gettext("Report"), str(self.page_title)),
            (gettext("As of"), self.day.isoformat()),
            (gettext("Scope"), scope_description(self.request.user)),
            (gettext("Exported by"), self.request.user.get_username()),
            (gettext("Exported at"), timezone.localtime().isoformat(timespec="seconds")),
        ]
        if self.filters.is_valid():
            for name, value in self.filters.form.cleaned_data.items():
                if name != "on" and value not in (None, "", [], slice(None, None)):
                    label = str(self.filters.form.fields[name].label)
                    parameters.append((label, _describe(value)))
        if self.search_query:
            parameters.append((gettext("Search"), self.search_query))
        parameters.append((gettext("Sorted by"), self.ordering))
        query = self.request.GET.copy()
        query.pop("export", None)
        query["on"] = self.day.isoformat()
        parameters.append((gettext("Address"), f"{self.request.path}?{query.urlencode()}"))
        return parameters

    def export(self, file_format: str):
        if file_format == self.FORMAT_CSV:
            response = StreamingHttpResponse(self.stream_matrix_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{self.export_name()}.csv"'
            return response
        return self.matrix_xlsx_response()

    def export_name(self) -> str:
        return f"{self.export_filename}-{self.day.isoformat()}"

    def stream_matrix_csv(self) -> Iterator[str]:
        line = _Echo()
        writer = csv.writer(line)
        fingerprint = Fingerprint()
        headings = self.matrix.headings()
        fingerprint.add(headings)
        yield writer.writerow(headings)
        for row in self.matrix.rows():
            fingerprint.add(row)
            yield writer.writerow(row)
        yield writer.writerow([])
        for name, value in self.parameters():
            yield writer.writerow([name, value])
        yield writer.writerow([gettext("SHA-256 of the rows above"), fingerprint.hexdigest()])

    def matrix_xlsx_response(self):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=gettext("Matrix")[:31])
        fingerprint = Fingerprint()
        headings = self.matrix.headings()
        fingerprint.add(headings)
        sheet.append(headings)
        for row in self.matrix.rows():
            fingerprint.add(row)
            sheet.append([_xlsx_date(sheet, value) if isinstance(value, datetime.date) else value for value in row])
        about = workbook.create_sheet(title=gettext("Parameters")[:31])
        for name, value in self.parameters():
            about.append([name, value])
        about.append([gettext("SHA-256 of the matrix's rows as CSV"), fingerprint.hexdigest()])
        # Written to disk rather than memory, so the file's size does not weigh on the server.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook.save(output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"{self.export_name()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class MatrixResultsView(MatrixView):
    results_only = True


def _xlsx_date(sheet, value: datetime.date) -> WriteOnlyCell:
    """A date cell that spreadsheets show as a date rather than as a number."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def _describe(value) -> str:
    if isinstance(value, slice):
        return "–".join("" if end is None else end.isoformat() for end in (value.start, value.stop))
    if isinstance(value, list | tuple):
        return ", ".join(str(Status(item).label) for item in value)
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    return str(value)


class _Echo:
    """A file-like object handing back what the csv writer writes, for streaming."""

    def write(self, text: str) -> str:
        return text


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
            Enrollment.objects.visible_to(self.request.user)
            .required()
            .with_status()
            .filter(self.status_filter())
            .select_related("course", "user__staff_profile__manager__staff_profile")
            .order_by("status_date", "user__last_name", "user__first_name")
        )

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
                user_id=lambda enrollment: enrollment.user_id,
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

    def to_row_dict(self, item):
        language = get_language()
        profile = _profile(item)
        return {
            "learner": profile.name_for(language) if profile else item.user.get_username(),
            "course": self.course_title(item),
            "status": item.get_status_display(),
            "status_date": item.status_date,
            "department": profile.department if profile else "",
            "manager": _manager_name(item, language),
        }


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

    def status_filter(self):
        return due_soon_filter(timezone.localdate())


class OverdueResultsView(OverdueView):
    results_only = True


class DueSoonResultsView(DueSoonView):
    results_only = True


class HistoryView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One learner's whole record: every course, cycle and attempt, and what other apps add (certificates)."""

    permission_policy = enrollment_permissions
    any_permission_required = ["view"]
    template_name = "compliance/history.html"
    header_icon = "user"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        visible = StaffProfile.objects.visible_to(request.user).select_related("user")
        self.profile = get_object_or_404(visible, user_id=kwargs["user_id"])
        self.learner = self.profile.user

    def get_page_title(self):
        return gettext("Training history")

    def get_page_subtitle(self):
        return self.profile.name_for(get_language())

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrollments = list(
            Enrollment.objects.filter(user=self.learner)
            .with_status()
            .select_related("course")
            .prefetch_related(
                Prefetch("cycles", queryset=Cycle.objects.order_by("-number")),
                Prefetch("completions", queryset=CourseCompletion.objects.all()),
                Prefetch("attempts", queryset=Attempt.objects.select_related("activity", "lesson")),
            )
            .order_by("course__path")
        )
        titles = localized_titles(enrollment.course.translation_key for enrollment in enrollments)
        for enrollment in enrollments:
            enrollment.tone = TONES[enrollment.status]
            enrollment.course_title = titles[enrollment.course.translation_key]
        context.update(
            profile=self.profile,
            enrollments=enrollments,
            panels=[fn(self.request, self.learner) for fn in hooks.get_hooks(HISTORY_PANELS_HOOK)],
        )
        return context
