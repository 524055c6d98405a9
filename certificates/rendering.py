"""Certificates as PDF: A4, PDF/A-3b, fonts bundled with the app, made with WeasyPrint.

Rendering reuses everything that does not depend on the certificate: the parsed
stylesheet, the font configuration (the bundled fonts are loaded once) and the URL
fetcher. The fetcher serves only the app's bundled files (``bundled:`` URLs) and images
from media storage (``media:`` URLs): a certificate needs no network, and a template
edited in the admin cannot make the server fetch anything else.
"""

from __future__ import annotations

import datetime
import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from courses.formatting import local_date, local_digits

if TYPE_CHECKING:
    from certificates.models import CertificateTemplate

#: The app's bundled files: the stylesheet and the fonts it names.
BUNDLED = Path(__file__).resolve().parent / "static" / "certificates"
STYLESHEET = BUNDLED / "certificate.css"
PDF_VARIANT = "pdf/a-3b"
#: Size of the images printed, whatever size was uploaded.
IMAGE_RENDITION = "max-1600x1600"


@dataclass(frozen=True)
class CertificateContent:
    """What a certificate says, whatever template prints it."""

    code: str
    verification_url: str
    completed_on: datetime.date
    expires_on: datetime.date | None
    score: int | None
    language: str
    #: The holder's name and the course title in each language: {"fa": {"name": ..., "course": ...}, ...}.
    printed_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def names_in(self, language: str) -> dict[str, str]:
        return self.printed_names.get(language) or self.printed_names.get(self.language) or {}


class BundledFilesFetcher(URLFetcher):
    """Fetches ``bundled:<path>`` from the app's bundled files, ``media:<name>`` from media storage and
    ``data:`` URLs; refuses every other URL."""

    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme, _colon, name = url.partition(":")
        if scheme == "bundled":
            path = (BUNDLED / name).resolve()
            if path.is_relative_to(BUNDLED) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        elif scheme == "data":
            return super().fetch(url, headers)
        elif scheme == "media" and name and default_storage.exists(name):
            with default_storage.open(name) as file:
                return URLFetcherResponse(url, file.read())
        raise ValueError(f"A certificate may only use bundled files and media images, not {url!r}.")


class Renderer:
    """Renders certificates; one per process (see :func:`renderer`), safe to share between threads."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.url_fetcher = BundledFilesFetcher()
        self.stylesheet = CSS(filename=str(STYLESHEET), font_config=self.font_config, url_fetcher=self.url_fetcher)
        # Pango's font map is not thread-safe.
        self.lock = threading.Lock()

    def render(self, template: CertificateTemplate, content: CertificateContent) -> bytes:
        """The PDF of ``content`` printed with ``template``."""
        html = certificate_html(template, content)
        with self.lock:
            return HTML(string=html, url_fetcher=self.url_fetcher, base_url="bundled:").write_pdf(
                stylesheets=[self.stylesheet], font_config=self.font_config, pdf_variant=PDF_VARIANT
            )


@functools.cache
def renderer() -> Renderer:
    """The process's renderer, made on first use."""
    return Renderer()


def render(template: CertificateTemplate, content: CertificateContent) -> bytes:
    return renderer().render(template, content)


def render_sample(template: CertificateTemplate) -> bytes:
    """``template`` printed with made-up data, for its preview in the admin."""
    today = timezone.localdate()
    sample = CertificateContent(
        code="SAMPLE-0000-0000-0000-0000-0000",
        verification_url="https://example.com/certificates/verify/SAMPLE/",
        completed_on=today,
        expires_on=today + datetime.timedelta(days=365),
        score=92,
        language=template.language if template.language != "both" else "fa",
        printed_names={
            "fa": {"name": "سارا رضایی", "course": "همدلی با مشتری"},
            "en": {"name": "Sara Rezaei", "course": "Empathy with customers"},
        },
    )
    return render(template, sample)


def certificate_html(template: CertificateTemplate, content: CertificateContent) -> str:
    """The HTML document of a certificate: one side per language the template prints."""
    sides = []
    for language in template.sides(content.language):
        with translation.override(language):
            title, body = template.text(language)
            sides.append(
                {
                    "language": language,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                    "title": title,
                    "body": fill_placeholders(body, placeholder_values(content, language)),
                }
            )
    context = {
        "direction": "rtl" if translation.get_language_info(content.language)["bidi"] else "ltr",
        "template": template,
        "content": content,
        "sides": sides,
        "qr_code": qr_code(content.verification_url),
        "background": media_url(template.background_image),
        "logo": media_url(template.logo),
        "signature": media_url(template.signature_image),
    }
    return render_to_string("certificates/pdf/certificate.html", context)


def placeholder_values(content: CertificateContent, language: str) -> dict[str, str]:
    """The text each placeholder stands for, in ``language`` (call with that language active)."""
    names = content.names_in(language)
    return {
        "name": names.get("name", ""),
        "course": names.get("course", ""),
        "completed": local_date(content.completed_on),
        "expires": local_date(content.expires_on) if content.expires_on else "—",
        "score": percent(content.score, language) if content.score is not None else "—",
        "code": content.code,
    }


def percent(value: int, language: str) -> str:
    """``value`` per cent as the language writes it: 92% or ۹۲٪."""
    sign = "٪" if language == "fa" else "%"
    return f"{local_digits(value)}{sign}"


def fill_placeholders(text: str, values: dict[str, str]) -> SafeString:
    """The template's text, escaped, with each placeholder replaced by its escaped value, in paragraphs."""
    # A value is never broken across lines: a date split in two reads wrongly, in Persian above all.
    escaped = {name: format_html('<span class="value">{}</span>', value) for name, value in values.items()}
    # The text was validated against the known placeholders when the template was saved.
    return mark_safe(linebreaks(str(conditional_escape(text)).format_map(escaped)))  # noqa: S308


def qr_code(url: str) -> str:
    """The QR code of ``url`` as a PNG ``data:`` URL, sized by the stylesheet. (WeasyPrint takes a few
    times longer to draw the same code as SVG.) Any mask pattern reads; choosing the best of the eight
    would cost more than the rest of the code's making."""
    return segno.make(url, error="m", mask=0).png_data_uri(scale=4, border=2)


def media_url(image) -> str:
    """The ``media:`` URL of a rendition of a Wagtail image, or "" for none."""
    if image is None:
        return ""
    return f"media:{image.get_rendition(IMAGE_RENDITION).file.name}"
