"""What the PDF says: Persian name, course and Jalali date; the QR code leads to the verification page."""

import subprocess

import jdatetime
import pytest
import zxingcpp
from django.utils import translation
from PIL import Image

from certificates import issuing
from certificates.rendering import BundledFilesFetcher
from courses.formatting import local_digits
from courses.testing import translate

from .conftest import complete

#: Characters pdftotext drops (ZWNJ) or adds (bidirectional embeddings) that the comparison ignores.
IGNORED = dict.fromkeys(map(ord, "\u200c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pdf_text(path) -> str:
    """The PDF's text, in logical order, with ZWNJ and bidi controls stripped and whitespace collapsed."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.translate(IGNORED).split())


def pdf_image(path, tmp_path) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png")


@pytest.fixture
def persian_course(course, fa):
    translate(course, fa, title="گوش‌دادن فعال")
    return course


def test_a_persian_certificate_has_the_persian_name_course_and_jalali_date(persian_learner, persian_course):
    certificate = issuing.issue_for_completion(complete(persian_learner, persian_course))
    text = pdf_text(certificate.pdf.path)

    jalali = jdatetime.date.fromgregorian(date=certificate.completed_on)
    with translation.override("fa"):
        day, year = local_digits(jalali.day), local_digits(jalali.year)
    assert "سارا رضایی" in text
    assert "گوشدادن فعال" in text  # pdftotext drops the ZWNJ
    # pdftotext puts a run of digits inside right-to-left text in its visual place, so look for each part.
    for part in (day, jdatetime.date.j_months_fa[jalali.month - 1], year):
        assert part in text
    assert str(jalali.year) not in text
    assert str(certificate.completed_on.year) not in text
    assert certificate.code in text


def test_an_english_certificate_has_the_latin_name_and_gregorian_date(english_learner, persian_course):
    certificate = issuing.issue_for_completion(complete(english_learner, persian_course))
    text = pdf_text(certificate.pdf.path)

    assert "Tom Baker" in text
    assert "Listening basics" in text
    assert f"{certificate.completed_on.day} {certificate.completed_on:%B} {certificate.completed_on.year}" in text
    assert "تام" not in text


def test_the_qr_code_decodes_to_the_verification_url(persian_learner, course, tmp_path):
    certificate = issuing.issue_for_completion(complete(persian_learner, course))

    (barcode,) = zxingcpp.read_barcodes(pdf_image(certificate.pdf.path, tmp_path))
    assert barcode.text == f"http://testserver/fa/certificates/verify/{certificate.code}/"


def test_the_pdf_is_pdf_a_3b_on_a4(persian_learner, course):
    certificate = issuing.issue_for_completion(complete(persian_learner, course))
    metadata, info = (
        subprocess.run(["pdfinfo", *options, certificate.pdf.path], check=True, capture_output=True, text=True).stdout
        for options in (["-meta"], [])
    )

    assert 'pdfaid:part="3" pdfaid:conformance="B"' in metadata
    assert "841.89 x 595.276 pts (A4)" in info  # landscape A4


def test_the_renderer_fetches_nothing_but_bundled_files_and_media():
    fetcher = BundledFilesFetcher()
    assert fetcher.fetch("bundled:fonts/Vazirmatn-Regular.ttf").read()[:4] == b"\x00\x01\x00\x00"
    for url in ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "bundled:../../../settings.py"]:
        with pytest.raises(ValueError, match="only use bundled files"):
            fetcher.fetch(url)
