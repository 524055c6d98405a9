"""Oversized and malformed uploads are refused with a clear message and store nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from courses.models import Attempt, Enrollment
from courses.testing import make_user
from tests.snapshots import changed_tables, database_rows


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, name: str, content: bytes):
    return client.post(
        "/admin/images/add/",
        {"title": "Upload", "file": SimpleUploadedFile(name, content, content_type="image/png"), "collection": 1},
    )


def test_an_image_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    content = png(400, 400) + b"\0" * 2048

    response = upload(admin_client, "big.png", content)

    assert response.status_code == 200
    assert "This file is too big" in response.text
    assert not get_image_model().objects.exists()


def test_an_image_with_too_many_pixels_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100

    response = upload(admin_client, "wide.png", png(200, 200))

    assert "This file has too many pixels" in response.text
    assert not get_image_model().objects.exists()


def test_a_file_that_is_not_an_image_is_refused(admin_client):
    response = upload(admin_client, "notes.png", b"<?php echo 'not an image'; ?>")

    assert response.status_code == 200
    assert "Upload a valid image" in response.text or "Not a supported image format" in response.text
    assert not get_image_model().objects.exists()


def test_a_submission_over_the_request_limit_is_refused_and_stores_nothing(learner_client, course, learner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().last()
    reflection = lesson.specific.live_activities()[0]

    response = learner_client.post(f"{lesson.url}activities/{reflection.pk}/", {"response": "word " * 5000})

    assert response.status_code == 400
    assert not Attempt.objects.exists()


# The staff import (admin): all or nothing, whatever the file.

STAFF_HEADER = "username,first_name,last_name,email,hire_date,department,manager,language,active"


def staff_csv(*rows: str) -> bytes:
    return "\r\n".join([STAFF_HEADER, *rows, ""]).encode()


def import_staff(client, content: bytes, name: str = "staff.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("staff_profiles:import"), {"file": file})


def staff_records() -> dict:
    return database_rows(exclude=BOOKKEEPING_OF_A_REQUEST)


BOOKKEEPING_OF_A_REQUEST = {"wagtailusers.userprofile"}
NUL = r"<td >\s*{}\s*</td>\s*<td >\s*The file contains a control character \(U\+0000\), which no staff record can hold."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(staff_csv("sara,Sara,A,,,,,,") + b"," * (20 * 1024 * 1024), "files up to 5.0", id="20 MB"),
        pytest.param(b"", "The submitted file is empty.", id="empty"),
        pytest.param(png(20, 20), "The file is not UTF-8 text", id="an image"),
        pytest.param(b"PK\x03\x04" + bytes(range(256)) * 8, "The file is not UTF-8 text", id="a spreadsheet"),
        pytest.param(
            "\ufeff".encode("utf-16-le") + staff_csv("sara,Sara,A,,,,,,").decode().encode("utf-16-le"),
            "The file is not UTF-8 text",
            id="UTF-16",
        ),
        pytest.param(staff_csv("sara,Sara,A,,,,,,", "re\x00za,Reza,R,,,,,,"), NUL.format(3), id="a NUL byte in a name"),
        pytest.param(staff_csv("sara,Sara,A,,,Sa\x00les,,,"), NUL.format(2), id="a NUL byte in a department"),
        pytest.param(b"\x00" * 4096, NUL.format(1), id="nothing but NUL bytes"),
        pytest.param(b"username\r\n" + b"a" * 100, "the header lacks the columns", id="one column"),
    ],
)
def test_a_hostile_staff_file_is_refused_with_a_message_and_changes_nothing(trainer_client, content, message):
    make_user("sara", first_name="Sara", profile={})
    before = staff_records()

    response = import_staff(trainer_client, content)

    assert response.status_code == 200
    assert message in response.content.decode() or re.search(message, response.content.decode())
    assert "courses_staff_import" not in trainer_client.session
    assert changed_tables(before, staff_records()) == {}


# The certificate check (public): a file that cannot be a certificate is refused, saying why.


@pytest.fixture
def certificate(settings, tmp_path, course, learner):
    from certificates import issuing
    from courses.models import CourseCompletion

    settings.MEDIA_ROOT = tmp_path
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    return issuing.issue_for_completion(CourseCompletion.objects.create(enrollment=enrollment, cycle=1))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"%PDF-1.7\n" + b"\0" * (20 * 1024 * 1024), "larger than any certificate (5.0", id="20 MB"),
        pytest.param(b"", "The submitted file is empty.", id="empty"),
        pytest.param(png(20, 20), "This is not a PDF file.", id="an image"),
        pytest.param(b"<html><script>alert(1)</script></html>", "This is not a PDF file.", id="HTML"),
        pytest.param(b"%PD", "This is not a PDF file.", id="three bytes"),
    ],
)
def test_a_file_that_cannot_be_a_certificate_is_refused_with_a_message(client, certificate, content, message):
    before = database_rows()

    response = client.post(
        f"/certificates/verify/{certificate.code}/",
        {"file": SimpleUploadedFile("certificate.pdf", content, content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["file_matches"] is None
    assert changed_tables(before, database_rows()) == {}
