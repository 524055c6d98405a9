"""A manager's view of the admin ends at their team: no record of another team opens, lists or exports."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from courses.models import Enrollment, StaffProfile
from courses.roles import MANAGERS, set_up_roles
from courses.testing import make_user


def refused(response) -> bool:
    """Not found, forbidden, or sent back to the admin home with Wagtail's "no permission" message."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response.url == "/admin/")


@pytest.fixture
def teams(course):
    """Two managers, each with one member enrolled in ``course``; a member of a member reports to the first."""
    set_up_roles()
    managers = Group.objects.get(name=MANAGERS)
    mine, theirs = make_user("mine"), make_user("theirs")
    for manager in (mine, theirs):
        manager.groups.add(managers)
    member, deep_member, other = make_user("member"), make_user("deep_member"), make_user("other")
    StaffProfile.objects.create(user=member, manager=mine, department="Calls")
    StaffProfile.objects.create(user=deep_member, manager=member, department="Calls")
    StaffProfile.objects.create(user=other, manager=theirs, department="Branches")
    enrolments = {
        user.username: Enrollment.objects.enrol(user, course, source="assigned")[0]
        for user in (member, deep_member, other)
    }
    return {"mine": mine, "theirs": theirs, "enrolments": enrolments}


@pytest.mark.parametrize("view", ["inspect", "edit", "delete"])
def test_a_manager_cannot_open_another_teams_enrolment(client, teams, view):
    client.force_login(teams["mine"])
    other = teams["enrolments"]["other"]

    response = client.get(f"/admin/enrollments/{view}/{other.pk}/")

    assert refused(response)
    if view == "delete":
        client.post(f"/admin/enrollments/delete/{other.pk}/")
        assert Enrollment.objects.filter(pk=other.pk).exists()


def test_a_manager_opens_their_teams_enrolment_down_the_chain(client, teams):
    client.force_login(teams["mine"])
    deep = teams["enrolments"]["deep_member"]

    assert client.get(f"/admin/enrollments/inspect/{deep.pk}/").status_code == 200


def test_a_trainer_opens_any_enrolment(trainer_client, teams):
    other = teams["enrolments"]["other"]

    assert trainer_client.get(f"/admin/enrollments/inspect/{other.pk}/").status_code == 200


def test_a_manager_lists_and_exports_the_profiles_of_their_team_only(client, teams):
    client.force_login(teams["mine"])

    listed = client.get("/admin/staff_profiles/")
    exported = client.get("/admin/staff_profiles/?export=csv")
    searched = client.get("/admin/staff_profiles/?q=other")

    assert {profile.user.username for profile in listed.context["object_list"]} == {"member", "deep_member"}
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert len(rows) == 3
    assert not any("other" in cell for row in rows for cell in row)
    assert list(searched.context["object_list"]) == []


@pytest.mark.parametrize("view", ["inspect", "edit", "delete"])
def test_a_manager_cannot_open_another_teams_profile(client, teams, view):
    client.force_login(teams["mine"])
    profile = StaffProfile.objects.get(user__username="other")

    assert refused(client.get(f"/admin/staff_profiles/{view}/{profile.pk}/"))


def test_a_trainer_lists_every_profile(trainer_client, teams):
    listed = trainer_client.get("/admin/staff_profiles/")

    assert {profile.user.username for profile in listed.context["object_list"]} == {
        "member",
        "deep_member",
        "other",
    }


def test_a_manager_cannot_browse_the_activity_chooser(client, teams, quiz):
    client.force_login(teams["mine"])

    assert refused(client.get("/admin/activity_chooser/"))
    assert refused(client.get("/admin/activity_chooser/results/"))
    assert refused(client.get(f"/admin/activity_chooser/chosen/{quiz.pk}/"))


def test_a_trainer_browses_the_activity_chooser(trainer_client, quiz):
    assert trainer_client.get("/admin/activity_chooser/").status_code == 200
