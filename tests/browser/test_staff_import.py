"""A trainer imports staff from an HR export in the admin: upload, preview, confirm."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from courses.models import StaffProfile
from courses.roles import set_up_roles
from courses.testing import make_user
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

EXPORT = (
    "\ufeffusername;first_name;last_name;email;hire_date;department;manager;language;active\r\n"
    "sara;Sara;Ahmadi;sara@example.com;2020-01-15;Sales;;fa;\r\n"
    "omid;Omid;Karimi;omid@example.com;2022-06-01;Sales;sara;en;yes\r\n"
)


def test_a_trainer_imports_staff_after_a_preview(page, live_server, site, tmp_path):
    set_up_roles()
    make_user("trainer").groups.add(Group.objects.get(name="Trainers"))
    make_user("veteran", first_name="Vera", profile={"department": "Support"})
    export = tmp_path / "export.csv"
    export.write_text(EXPORT.replace("yes\r\n", "yes\r\nveteran;Vera;Tan;;;Sales;sara;;\r\n"), encoding="utf-8")

    log_in(page, live_server, "trainer")
    page.goto(f"{live_server.url}/admin/staff_profiles/")
    page.get_by_role("link", name="Import staff").click()
    page.get_by_label("CSV file").set_input_files(export)
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()

    expect(page.get_by_text("2 to create, 1 to change, 0 unchanged, 0 to deactivate.")).to_be_visible()
    expect(page.get_by_role("cell", name="omid@example.com")).to_be_visible()
    expect(page.get_by_role("cell", name="department: Support → Sales")).to_contain_text("last name: — → Tan")
    assert not StaffProfile.objects.filter(user__username="sara").exists()

    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("Staff imported: 2 to create, 1 to change")).to_be_visible()
    assert dict(StaffProfile.objects.values_list("user__username", "manager__username")) == {
        "sara": None,
        "omid": "sara",
        "veteran": "sara",
    }
