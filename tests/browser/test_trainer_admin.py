"""A trainer in the admin: adding a new quiz to a lesson from its chooser, the quiz form, a course's languages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from courses.models import Enrollment, QuizActivity
from courses.roles import set_up_roles
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def trainer(site):
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name="Trainers"))
    return trainer


def log_in_to_admin(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(username)
    with page.expect_navigation():
        page.locator("button[type=submit]").click()


def test_a_trainer_finds_and_creates_activities_from_the_lesson(page, live_server, site, trainer):
    make_quiz(title="Knowledge check")
    make_reflection(title="Your turn")
    lesson = make_lesson(make_course(site, "Phone manners"), "Greeting")
    log_in_to_admin(page, live_server, "trainer")

    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.get_by_role("button", name="Add activity").click()
    page.get_by_role("button", name="Choose an activity").click()
    modal = page.locator(".modal")
    results = modal.locator("#search-results")
    expect(results.get_by_text("Knowledge check")).to_be_visible()

    modal.get_by_label("Search term").fill("your")
    expect(results.get_by_text("Knowledge check")).to_be_hidden()
    expect(results.get_by_text("Your turn")).to_be_visible()
    modal.get_by_label("Search term").fill("")
    modal.get_by_label("Type", exact=True).select_option(label="Quiz")
    expect(results.get_by_text("Your turn")).to_be_hidden()
    expect(results.get_by_text("Knowledge check")).to_be_visible()

    modal.get_by_role("tab", name="New activity").click()
    modal.get_by_label("Quiz").check()
    modal.get_by_role("button", name="Next").click()
    form = modal.locator("#tab-create")
    expect(form.get_by_role("heading", name="New quiz")).to_be_visible()
    expect(form.get_by_text("The minimum number of items")).to_have_count(0)
    form.locator("#id_new-activity-title").fill("Phone greeting check")
    form.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="True or false").click()
    form.get_by_label("Statement").fill("Callers can hear a smile.")
    form.get_by_role("radio", name="True", exact=True).check()
    form.get_by_role("button", name="Create and publish").click()

    expect(modal).to_be_hidden()
    expect(page.get_by_text("Phone greeting check")).to_be_visible()
    quiz = QuizActivity.objects.get(title="Phone greeting check")
    assert quiz.live
    assert [choice.correct for choice in quiz.question_list[0].choices] == [True, False]
    expect(page.locator("input[name='activity_links-0-activity']")).to_have_value(str(quiz.pk))


def test_a_new_quiz_form_shows_errors_only_after_saving(page, live_server, trainer):
    log_in_to_admin(page, live_server, "trainer")
    page.goto(f"{live_server.url}/admin/snippets/courses/quizactivity/add/")

    page.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Single choice").click()
    expect(page.locator("input[name$='-value-text']")).to_have_count(2)
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="True or false").click()
    expect(page.get_by_role("radio", name="True", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="False", exact=True)).to_be_visible()
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    expect(page.get_by_text("This field is required.")).to_have_count(0)

    page.locator("#id_title").fill("Phone manners")
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()

    expect(page.get_by_text("The quiz could not be created due to errors.")).to_be_visible()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert not QuizActivity.objects.exists()


def test_a_course_says_which_languages_it_exists_in(page, live_server, site, trainer):
    course = make_course(site, "Phone manners")
    log_in_to_admin(page, live_server, "trainer")

    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")

    expect(page.get_by_text("English: this page")).to_be_visible()
    expect(page.get_by_text("Persian: not translated yet")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Translate this page").click()
    assert page.url.endswith(f"/admin/translation/submit/page/{course.pk}/")


def test_a_persian_trainer_reads_local_times_and_blanks(page, live_server, site, trainer):
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "fa"
    profile.save()
    enrollment, _ = Enrollment.objects.enrol(make_user("learner"), make_course(site, "Phone manners"), source="self")
    enrollment.enrolled_at = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
    enrollment.save()
    log_in_to_admin(page, live_server, "trainer")

    page.goto(f"{live_server.url}/admin/enrollments/inspect/{enrollment.pk}/")

    fields = page.locator("main dl")
    expect(fields).to_contain_text("۲ آذر ۱۴۰۵، ۱۳:۳۰")
    expect(fields).not_to_contain_text("None")
