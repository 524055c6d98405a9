"""Admin screens of certificates: the register (a report), one certificate with its log, revocation and
re-issue, and downloads (one PDF, or a streamed ZIP of many)."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from certificates import issuing
from certificates.models import Certificate, CertificateQuerySet
from certificates.tasks import render_certificate
from certificates.views import pdf_response
from courses.exports import SafeSpreadsheetExportMixin
from courses.models import CoursePage

permission_policy = ModelPermissionPolicy(Certificate)


def visible_certificates(user) -> CertificateQuerySet:
    """The certificates ``user`` may see in the admin; none at all without the view permission."""
    if not permission_policy.user_has_permission(user, "view"):
        raise PermissionDenied
    return Certificate.objects.visible_to(user)


def register_rows(user) -> CertificateQuerySet:
    """The register's certificates for ``user``, with their status, newest first."""
    return (
        visible_certificates(user).with_status().select_related("completion__enrollment__user").order_by("-created_at")
    )


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Certificate.Status.choices)
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.canonical().order_by("title"),
        method="filter_course",
        empty_label=_("All courses"),
    )
    issued_at = django_filters.DateFromToRangeFilter(label=_("Issued"), widget=DateRangePickerWidget)
    expires_on = django_filters.DateFromToRangeFilter(label=_("Expires"), widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["status", "course", "issued_at", "expires_on", "language"]

    def filter_course(self, queryset, name, value):
        return queryset.for_course(value) if value else queryset


def filtered_certificates(request) -> CertificateQuerySet:
    """The register's certificates, filtered as the request's query string says."""
    return CertificateFilterSet(request.GET, queryset=register_rows(request.user), request=request).qs


class CertificateRegisterView(SafeSpreadsheetExportMixin, ReportView):
    """Every certificate a trainer (or a manager, for their team) may see: issued, expiring, revoked.

    Its exports write holders' names and reasons as text a spreadsheet cannot run."""

    page_title = _("Certificate register")
    header_icon = "doc-full"
    index_url_name = "certificates_admin:register"
    index_results_url_name = "certificates_admin:register_results"
    filterset_class = CertificateFilterSet
    permission_policy = permission_policy
    permission_required = "view"
    list_export = [
        "holder_name",
        "course_title",
        "completed_on",
        "issued_at",
        "expires_on",
        "status",
        "language",
        "code",
        "sha256",
        "revoked_at",
        "revocation_reason",
    ]
    export_headings = {"status": _("Status"), "sha256": "SHA-256"}
    columns = [
        TitleColumn(
            "holder_name",
            label=_("Holder"),
            get_url=lambda certificate: reverse("certificates_admin:detail", args=[certificate.pk]),
        ),
        Column("course_title", label=_("Course")),
        Column("get_status_display", label=_("Status")),
        # Calendar dates, not "2 months ago": an expiry is a day, and the register is read for days.
        Column("completed_on", label=_("Completed")),
        DateColumn("issued_at", label=_("Issued")),
        Column("expires_on", label=_("Expires")),
    ]

    def get_queryset(self):
        return register_rows(self.request.user)

    def get_filename(self):
        return f"certificates-{timezone.localdate().isoformat()}"

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["status"] = Certificate.Status(item.status).label
        return row

    @cached_property
    def header_buttons(self):
        url = reverse("certificates_admin:zip")
        if query := self.request.GET.urlencode():
            url = f"{url}?{query}"
        return [HeaderButton(_("Download the PDFs (ZIP)"), url=url, icon_name="download")]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def detail(request, pk: int):
    """One certificate: what it says, its state, its log, and the trainer's actions."""
    certificate = get_object_or_404(
        visible_certificates(request.user).select_related("template_revision", "replaces", "revoked_by"), pk=pk
    )
    user = request.user
    return TemplateResponse(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "status": certificate.status_on(),
            "events": certificate.events.select_related("actor"),
            "replacement": Certificate.objects.filter(replaces=certificate).first(),
            "can_revoke": user.has_perm("certificates.revoke_certificate") and certificate.revoked_at is None,
            "can_reissue": user.has_perm("certificates.reissue_certificate")
            and not Certificate.objects.filter(replaces=certificate).exists(),
            "can_retry": certificate.state == Certificate.State.PENDING,
            "revoke_form": ReasonForm(prefix="revoke"),
            "reissue_form": ReasonForm(prefix="reissue"),
        },
    )


@require_POST
def revoke(request, pk: int):
    if not request.user.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied
    certificate = get_object_or_404(visible_certificates(request.user), pk=pk)
    form = ReasonForm(request.POST, prefix="revoke")
    if form.is_valid():
        issuing.revoke(certificate, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("The certificate is revoked."))
    else:
        messages.error(request, gettext("Give a reason to revoke the certificate."))
    return redirect("certificates_admin:detail", pk=pk)


@require_POST
def reissue(request, pk: int):
    if not request.user.has_perm("certificates.reissue_certificate"):
        raise PermissionDenied
    certificate = get_object_or_404(visible_certificates(request.user), pk=pk)
    form = ReasonForm(request.POST, prefix="reissue")
    if not form.is_valid():
        messages.error(request, gettext("Give a reason to re-issue the certificate."))
        return redirect("certificates_admin:detail", pk=pk)
    try:
        new = issuing.reissue(certificate, by=request.user, reason=form.cleaned_data["reason"])
    except issuing.CertificateAlreadyReplaced:
        messages.error(request, gettext("A newer certificate already replaces this one."))
        return redirect("certificates_admin:detail", pk=pk)
    render_certificate.enqueue(new.pk)
    messages.success(request, gettext("A new certificate is being issued; it supersedes this one once ready."))
    return redirect("certificates_admin:detail", pk=new.pk)


@require_POST
def retry(request, pk: int):
    """Queue the rendering of a pending certificate again."""
    certificate = get_object_or_404(visible_certificates(request.user).pending(), pk=pk)
    render_certificate.enqueue(certificate.pk)
    messages.success(request, gettext("The certificate is queued for rendering."))
    return redirect("certificates_admin:detail", pk=pk)


@require_GET
def download(request, pk: int):
    certificate = get_object_or_404(visible_certificates(request.user).issued(), pk=pk)
    return pdf_response(certificate)


@require_GET
def download_zip(request):
    """The PDFs of the register's filtered certificates in one ZIP, streamed as it is written."""
    certificates = filtered_certificates(request).issued().order_by("issued_at", "pk")
    if not certificates.exists():
        raise Http404(gettext("No issued certificate matches these filters."))
    response = StreamingHttpResponse(zip_stream(certificates.iterator(chunk_size=200)), content_type="application/zip")
    filename = f"certificates-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Chunks:
    """A write-only file that keeps what is written until it is taken, for zipfile to write into."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def zip_stream(certificates: Iterator[Certificate]) -> Iterator[bytes]:
    """A ZIP of the certificates' PDFs, yielded a file at a time: at most one PDF is held in memory."""
    output = _Chunks()
    # The stream cannot seek, so zipfile writes each file's sizes after its data; PDFs are compressed already.
    with zipfile.ZipFile(output, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            name = f"{certificate.holder_name} - {certificate.course_title} - {certificate.code[:8]}.pdf"
            info = zipfile.ZipInfo(name.replace("/", "-"), date_time=_zip_time(certificate.issued_at))
            with certificate.pdf.open("rb") as source, archive.open(info, mode="w") as target:
                while block := source.read(1 << 16):
                    target.write(block)
            yield output.take()
    yield output.take()


def _zip_time(moment: datetime.datetime) -> tuple[int, ...]:
    return timezone.localtime(moment).timetuple()[:6]
