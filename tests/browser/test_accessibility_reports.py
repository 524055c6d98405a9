"""axe-core finds no critical, serious or moderate violation on the certificate pages and the manager's reports,
in English and Persian."""

import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from certificates import issuing
from courses.models import CourseCompletion, StaffProfile
from courses.roles import MANAGERS, set_up_roles
from courses.testing import make_course, make_lesson, make_user
from tests.browser.axe import violations
from tests.browser.conftest import log_in
from tests.compliance.conftest import enrol

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    """The site's Content-Security-Policy would refuse the injected axe script; only the checker is let in."""
    return {**browser_context_args, "bypass_csp": True}


def test_the_certificate_pages_and_the_managers_reports_have_no_blocking_violations(
    page, live_server, site, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(site, "Listening basics")
    make_lesson(course, "Listen first")
    set_up_roles()
    boss = make_user("boss", first_name="Bahar", last_name="Boss")
    boss.groups.add(Group.objects.get(name=MANAGERS))
    late, done = (make_user(name, first_name=name.title(), last_name="Staff") for name in ("late", "done"))
    StaffProfile.objects.create(user=late, manager=boss)
    StaffProfile.objects.create(user=done, manager=boss, persian_name="دنا کارمند")
    enrol(late, course, enrolled=60)
    enrol(done, course, enrolled=60, completed=10)
    certificate = issuing.issue_for_completion(CourseCompletion.objects.get(enrollment__user=done))
    found = []

    def check(url: str) -> None:
        response = page.goto(live_server.url + url)
        if not response.ok:
            found.append(f"{url} answered {response.status}")
        found.extend(violations(page))

    for prefix in ("", "/fa"):
        for url in ["/certificates/verify/", f"/certificates/verify/{certificate.code}/"]:
            check(prefix + url)
    log_in(page, live_server, "done")
    for url in ["/my-training/", "/fa/my-training/", course.url]:
        check(url)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "boss")
    with page.expect_navigation():
        page.click("button[type=submit]")
    reports = ["/admin/", "/admin/compliance/matrix/", "/admin/compliance/overdue/", "/admin/compliance/due-soon/"]
    reports.append(f"/admin/staff_profiles/inspect/{late.staff_profile.pk}/")
    for language in ("en", "fa"):
        UserProfile.objects.update_or_create(user=boss, defaults={"preferred_language": language})
        for url in reports:
            check(url)

    assert found == [], "\n".join(found)
