"""Under the Content-Security-Policy, the admin's scripts still run and the learner's pages still work."""

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_user, quiz_answers
from tests.browser.conftest import log_in, submit_in_browser

pytestmark = pytest.mark.browser


def record_violations(page) -> list[str]:
    """Collect every message the browser logs about a blocked resource or script."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def test_the_admins_page_editor_runs_its_scripts(page, live_server, site):
    quiz = make_quiz()
    course = make_course(site, "Listening basics")
    lesson = make_lesson(course, "Listen first", activities=[quiz])
    make_user("admin", is_superuser=True, is_staff=True)
    violations = record_violations(page)

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("admin")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    # The inline panel of activities and the StreamField are built by the admin's scripts.
    expect(page.locator("[data-streamfield-stream-container]").first).to_be_attached()
    page.get_by_role("button", name="Add activity").click()
    expect(page.locator("[data-inline-panel-child]:not(.deleted)")).to_have_count(2)
    page.goto(f"{live_server.url}/admin/snippets/courses/quizactivity/add/")
    expect(page.locator("[data-streamfield-stream-container]").first).to_be_attached()

    assert violations == []


def test_a_learner_answers_a_quiz_under_the_policy(page, live_server, site):
    quiz, reflection = make_quiz(), make_reflection()
    course = make_course(site, "Listening basics")
    make_lesson(course, "Listen first", activities=[quiz])
    make_lesson(course, "Reflect", activities=[reflection])
    learner = make_user("newhire")
    Enrollment.objects.enrol(learner, course, source="self")
    violations = record_violations(page)

    log_in(page, live_server, "newhire")
    page.goto(live_server.url + course.url)
    expect(page.get_by_role("progressbar")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Start: Listen first").click()
    submit_in_browser(page, quiz, quiz_answers(quiz))
    expect(page.get_by_text("You scored 100%. Well done.")).to_be_visible()

    assert violations == []
