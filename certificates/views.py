"""Public verification of certificates, and learners' downloads of their own."""

from __future__ import annotations

import functools
import hashlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates.conf import get_setting
from certificates.models import Certificate


def rate_limited(view):
    """At most ``TRAINING_CERTIFICATE_VERIFY_RATE`` = (requests, seconds) per client address, counted in the
    default cache; more get 429. This is what keeps anyone from trying codes in bulk (they are also far too
    long to guess)."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        allowed, window = get_setting("CERTIFICATE_VERIFY_RATE")
        key = f"certificates:verify:{request.META.get('REMOTE_ADDR', '')}"
        # add() only sets a missing key, so the window starts at the first request.
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, count := 1, timeout=window)
        if count > allowed:
            response = render(request, "certificates/too_many_requests.html", status=429)
            response["Retry-After"] = str(window)
            return response
        return view(request, *args, **kwargs)

    return limited


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=64, strip=True)


class FileCheckForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"))

    def clean_file(self):
        """Only a PDF no larger than a certificate can be one; anything else is refused before hashing."""
        file = self.cleaned_data["file"]
        limit = get_setting("CERTIFICATE_VERIFY_MAX_BYTES")
        if file.size > limit:
            raise forms.ValidationError(
                _("This file is larger than any certificate (%(limit)s at most): it is not the certificate issued."),
                params={"limit": filesizeformat(limit)},
            )
        file.seek(0)
        if not file.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE:
            raise forms.ValidationError(_("This is not a PDF file. Choose the certificate's PDF file."))
        file.seek(0)
        return file


#: How every PDF file begins.
PDF_SIGNATURE = b"%PDF-"


@require_GET
@rate_limited
def verify_form(request):
    """A form to type a code; it sends the visitor to that code's page."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@rate_limited
def verify(request, code: str):
    """What a certificate says and where it stands; POST a PDF to check it is the file issued."""
    certificate = get_object_or_404(Certificate.objects.issued().select_related("replacement"), code=code)
    form = FileCheckForm(request.POST or None, request.FILES or None)
    file_matches = None
    if form.is_valid():
        digest = hashlib.sha256()
        for chunk in form.cleaned_data["file"].chunks():
            digest.update(chunk)
        file_matches = digest.hexdigest() == certificate.sha256
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "status": certificate.status_on(), "form": form, "file_matches": file_matches},
    )


@login_required
@require_GET
def download(request, code: str):
    """The learner's own certificate as a PDF; anyone else's is not found."""
    certificate = get_object_or_404(Certificate.objects.held_by(request.user).issued(), code=code)
    return pdf_response(certificate)


def pdf_response(certificate: Certificate) -> FileResponse:
    if not certificate.pdf:
        raise Http404
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=certificate.filename())
