"""Overdue and due-soon lists, a learner's history and the admin home panel, for each role."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.users.models import UserProfile

from courses.models import Enrollment
from courses.roles import ADMINISTRATORS, LEARNERS, MANAGERS, TRAINERS
from courses.testing import make_user


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
    assert {"access_admin", "view_enrollment", "view_staffprofile"} == codenames[MANAGERS]
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


def test_the_overdue_exports_parse_and_match_the_page(manager_client):
    exported = manager_client.get("/admin/compliance/overdue/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0] == ["Learner", "Course", "Status", "Date", "Department", "Manager"]
    assert [row[:3] for row in rows[1:]] == [["Bita Bitason", "Listening basics", "Overdue"]]

    xlsx = manager_client.get("/admin/compliance/overdue/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [list(row[:3]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["Bita Bitason", "Listening basics", "Overdue"]
    ]


def test_a_manager_opens_the_history_of_their_team_member_only(manager_client, org):
    cyrus, dara = org["people"]["cyrus"], org["people"]["dara"]

    mine = manager_client.get(f"/admin/compliance/people/{cyrus.pk}/")
    theirs = manager_client.get(f"/admin/compliance/people/{dara.pk}/")

    assert mine.status_code == 200
    assert "Cyrus Cyrusson" in mine.text
    assert "In progress" in mine.text
    assert theirs.status_code == 404


def test_a_trainer_opens_anyones_history_with_every_cycle(trainer, org):
    elin = org["people"]["elin"]
    enrollment = Enrollment.objects.get(user=elin)

    page = trainer.get(f"/admin/compliance/people/{elin.pk}/").text

    assert "Expired" in page
    assert "Listening basics" in page
    assert str(enrollment.cycles.get().opened_on.year) in page


def test_other_apps_add_panels_to_the_history(trainer, org):
    def certificates(request, learner):
        return f"<p>Certificates of {learner.username}</p>"

    with hooks.register_temporarily("compliance_history_panels", certificates):
        page = trainer.get(f"/admin/compliance/people/{org['people']['ali'].pk}/").text

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
