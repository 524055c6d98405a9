"""A manager reads their team's compliance matrix in the admin, in colour and in words, and exports it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from courses.models import StaffProfile
from courses.roles import MANAGERS, set_up_roles
from courses.testing import make_course, make_lesson, make_user
from tests.compliance.conftest import enrol

pytestmark = pytest.mark.browser


def test_a_manager_reads_and_exports_their_teams_matrix(page, live_server, site):
    course = make_course(site, "Listening basics")
    make_lesson(course, "Listen first")
    set_up_roles()
    boss = make_user("boss", first_name="Bahar", last_name="Boss")
    boss.groups.add(Group.objects.get(name=MANAGERS))
    late, done, stranger = (
        make_user(name, first_name=name.title(), last_name="Staff") for name in ("late", "done", "far")
    )
    StaffProfile.objects.create(user=late, manager=boss)
    StaffProfile.objects.create(user=done, manager=boss)
    StaffProfile.objects.create(user=stranger)
    enrol(late, course, enrolled=60)
    enrol(done, course, enrolled=60, completed=10)
    enrol(stranger, course, enrolled=60)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "boss")
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.get_by_text("Training compliance")).to_be_visible()
    expect(page.locator(".compliance-counts")).to_contain_text("1Overdue")

    page.goto(f"{live_server.url}/admin/compliance/matrix/")
    overdue = page.locator(".compliance-cell--bad .compliance-status")
    valid = page.locator(".compliance-cell--good .compliance-status")
    expect(overdue).to_have_text("Overdue")
    expect(valid).to_have_text("Valid")
    colours = [cell.evaluate("e => getComputedStyle(e).backgroundColor") for cell in (overdue, valid)]
    assert colours[0] != colours[1]
    expect(page.get_by_text("Far Staff")).to_have_count(0)

    with page.expect_download() as download:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; a.click(); }", "?export=csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert [row[0] for row in rows[1 : rows.index([])]] == ["Done Staff", "Late Staff"]

    with page.expect_navigation():
        page.get_by_role("link", name="Late Staff").click()
    assert "/admin/staff_profiles/inspect/" in page.url
    history = page.locator("section", has=page.get_by_role("heading", name="Listening basics"))
    expect(history).to_contain_text("Overdue")
