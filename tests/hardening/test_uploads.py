"""Oversized and malformed uploads are refused with a clear message and store nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from courses.models import Attempt, Enrollment


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
