"""A learner's training history, with its certificates, fits a phone's width in English and Persian: its tables
scroll inside regions of their own rather than running past the screen's edge.

The admin's layout clips what runs past it, so that the document itself never gets wider than the screen:
each table (or the region it scrolls in) is measured as well."""

import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from certificates.testing import make_issued_certificates
from courses.models import CourseCompletion
from courses.roles import TRAINERS, set_up_roles
from courses.testing import make_course, make_lesson, make_past_cycles, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
#: The horizontal extent of each table on the page, or of the group it scrolls in.
TABLE_SPANS = """[...document.querySelectorAll("main table")].map(table => {
    const box = (table.closest("[role=group]") || table).getBoundingClientRect();
    return [Math.floor(box.left), Math.ceil(box.right)];
})"""


@pytest.fixture
def history_url(site):
    courses = [make_course(site, title) for title in ("Listening to angry customers", "Empathy on the telephone")]
    for course in courses:
        make_lesson(course, "Lesson")
    learner = make_user(
        "learner", first_name="Leila", last_name="Learner", profile={"persian_name": "لیلا", "department": "Branch"}
    )
    make_past_cycles(learner, courses, 3)
    make_issued_certificates(CourseCompletion.objects.filter(enrollment__user=learner))
    return f"/admin/staff_profiles/inspect/{learner.staff_profile.pk}/"


def log_in_to_admin(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", username)
    with page.expect_navigation():
        page.click("button[type=submit]")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_history_screen_fits_a_phone(page, live_server, history_url, language):
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    UserProfile.objects.update_or_create(user=trainer, defaults={"preferred_language": language})
    page.set_viewport_size(PHONE)
    log_in_to_admin(page, live_server, "trainer")

    page.goto(live_server.url + history_url)

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main table").count() == 3  # two courses' cycles and the certificates
    document, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert document <= screen, f"the page is {document} px wide on a {screen} px screen"
    spans = page.evaluate(TABLE_SPANS)
    assert all(left >= 0 and right <= screen for left, right in spans), f"tables span {spans} on a {screen} px screen"
    region = page.get_by_role("group", name="Certificates" if language == "en" else "گواهی‌ها")
    region.focus()  # reachable with the keyboard, to scroll with the arrow keys
    assert region.evaluate("element => element === document.activeElement")
