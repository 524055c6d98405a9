"""A new hire logs in, enrols, gets a quiz wrong, then right, and finishes the course."""

import pytest
from playwright.sync_api import expect

from courses.models import CourseCompletion
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_user, quiz_answers
from tests.browser.conftest import log_in, submit_in_browser

pytestmark = pytest.mark.browser


def test_a_new_hire_completes_a_course(page, live_server, site):
    quiz, reflection = make_quiz(), make_reflection()
    course = make_course(site, "Listening basics", pass_mark=80)
    make_lesson(course, "Listen first", activities=[quiz])
    make_lesson(course, "Reflect", activities=[reflection])
    make_user("newhire", first_name="Nima")

    log_in(page, live_server, "newhire")
    expect(page.get_by_role("heading", name="My training")).to_be_visible()

    page.goto(live_server.url + course.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled")).to_be_visible()
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")

    with page.expect_navigation():
        page.get_by_role("link", name="Start: Listen first").click()
    submit_in_browser(page, quiz, quiz_answers(quiz, correct=False))
    expect(page.get_by_text("You scored 0%. Not yet")).to_be_visible()
    expect(page.get_by_text("Policy first sounds like a wall.")).to_be_visible()
    expect(page.get_by_text("Pass every activity above to complete this lesson.")).to_be_visible()

    submit_in_browser(page, quiz, quiz_answers(quiz))
    expect(page.get_by_text("You scored 100%. Well done.")).to_be_visible()
    expect(page.get_by_text("Lesson complete")).to_be_visible()

    page.goto(live_server.url + course.url)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")

    with page.expect_navigation():
        page.get_by_role("link", name="Continue: Reflect").click()
    submit_in_browser(page, reflection, {"response": "I will listen before I answer."})
    expect(page.get_by_text("Lesson complete")).to_be_visible()

    page.goto(live_server.url + "/my-training/")
    completed = page.locator("section", has=page.get_by_role("heading", name="Valid"))
    expect(completed.get_by_role("link", name="Listening basics")).to_be_visible()
    assert CourseCompletion.objects.filter(enrollment__course=course).count() == 1
