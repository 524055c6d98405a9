"""In Persian, a learner completes the angry-customers course, playing each scenario to a passing ending."""

import pytest
from playwright.sync_api import expect

from courses.content import install_training_modules
from courses.models import CourseCompletion, CoursePage
from courses.testing import make_user
from modules.angry_customer.models import ScenarioActivity
from tests.browser.conftest import log_in, submit_in_browser
from tests.solutions import passing_posts

pytestmark = pytest.mark.browser


def test_the_angry_customers_course_in_persian(page, live_server, site):
    install_training_modules()
    make_user("leila", profile={"preferred_language": "fa"})
    course = CoursePage.objects.get(slug="angry-customers", locale__language_code="fa")

    log_in(page, live_server, "leila")
    assert page.url.endswith("/fa/my-training/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto(live_server.url + course.url)
    with page.expect_navigation():
        page.get_by_role("button", name="ثبت‌نام در این دوره").click()

    for lesson in course.lessons():
        page.goto(live_server.url + lesson.url)
        for activity in lesson.live_activities():
            for data in passing_posts(activity):
                submit_in_browser(page, activity, data)
            if isinstance(activity, ScenarioActivity):
                section = page.locator(f"#activity-{activity.pk}")
                ending = activity.graph.endings[activity.graph.best_path[-1].next]
                expect(section.get_by_role("heading", name=ending.title)).to_be_visible()
                expect(section.locator(".result--pass")).to_contain_text("۱۰۰")
                expect(section.get_by_role("button", name="تمرین دوباره")).to_be_visible()

    page.goto(live_server.url + "/fa/my-training/")
    expect(page.get_by_role("heading", name="معتبر")).to_be_visible()
    expect(page.get_by_text("منقضی نمی‌شود")).to_be_visible()
    assert CourseCompletion.objects.filter(enrollment__user__username="leila").count() == 1
