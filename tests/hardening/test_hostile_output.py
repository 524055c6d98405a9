"""Hostile text leaving the site: certificate PDFs and trainers' reports show what people typed as text."""

import pytest
from django.utils.html import escape

from certificates import issuing
from courses.models import CourseCompletion, Enrollment
from courses.testing import make_course, make_lesson, make_quiz, make_user
from tests.certificates.test_pdf import pdf_text


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_certificate_prints_names_and_titles_as_typed(settings, tmp_path, index, language):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(index, "Course <b>bold</b>", slug="bold")
    make_lesson(course, "Only", activities=[make_quiz()])
    learner = make_user(
        "hostile",
        first_name="<script>alert(1)</script>",
        last_name="=HYPERLINK(1)",
        profile={"persian_name": '<img src="file:///etc/hostname">', "preferred_language": language},
    )
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    certificate = issuing.issue_for_completion(CourseCompletion.objects.create(enrollment=enrollment, cycle=1))
    issuing.render_pending(certificate)
    certificate.refresh_from_db()

    text = pdf_text(certificate.pdf.path)

    if language == "en":
        assert "Course <b>bold</b>" in text
        assert "<script>alert(1)</script> =HYPERLINK(1)" in text
    else:
        # pdftotext mirrors the brackets of Latin text set right to left; the words are there as text.
        assert 'img src="file:///etc/hostname' in text
        assert "Course" in text
        assert "bold" in text


def test_trainer_reports_show_hostile_names_as_text(trainer_client, settings, tmp_path, course):
    settings.MEDIA_ROOT = tmp_path
    name = '"><img src=x onerror=alert(1)>'
    learner = make_user("hostile", first_name=name, last_name="<script>alert(2)</script>", profile={})
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    issuing.issue_for_completion(CourseCompletion.objects.create(enrollment=enrollment, cycle=1))

    for url in [
        "/admin/compliance/matrix/",
        f"/admin/compliance/people/{learner.pk}/",  # the learner's history, where it redirects
        "/admin/certificates/",
    ]:
        page = trainer_client.get(url, follow=True).content.decode()
        assert name not in page, url
        assert "<script>alert(2)" not in page, url
        assert escape(name) in page or escape("<script>alert(2)</script>") in page, url
