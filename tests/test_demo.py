"""The demo: built by one command, refused in production, and the same after a second run."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, Site

from courses.models import (
    CourseCompletion,
    CoursePage,
    Cycle,
    Enrollment,
    LessonProgress,
    StaffProfile,
    Status,
    TrainingIndexPage,
)
from courses.testing import quiz_answers


def snapshot():
    return {
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "pages": Page.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "completions": CourseCompletion.objects.count(),
        "profiles": StaffProfile.objects.count(),
        "permissions": sum(group.permissions.count() for group in Group.objects.all()),
    }


@pytest.fixture
def demo(db, capsys):
    with override_settings(DEBUG=True):
        call_command("load_demo")
    return capsys.readouterr().out


def test_the_demo_builds_the_site_and_prints_the_accounts(demo):
    for username in ("admin", "trainer", "manager", "learner", "veteran"):
        assert username in demo
        assert User.objects.get(username=username).check_password(username)
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, TrainingIndexPage)
    assert CoursePage.objects.filter(locale__language_code="en").count() == 4
    assert CoursePage.objects.filter(locale__language_code="fa").count() == 4


def test_the_new_hire_is_on_the_onboarding_path_and_the_veteran_has_a_record(demo):
    learner_courses = Enrollment.objects.filter(user__username="learner")
    assert learner_courses.count() == 4
    assert all(enrollment.due_date for enrollment in learner_courses.with_progress())
    veteran = Enrollment.objects.filter(user__username="veteran").with_status()
    assert {enrollment.status for enrollment in veteran} == {"refresher_due"}
    assert CourseCompletion.objects.filter(enrollment__user__username="veteran", cycle=1).count() == 4
    assert Cycle.objects.filter(enrollment__user__username="veteran", number=2, is_refresher=True).count() == 4


def test_the_demo_organisation_shows_every_status(demo):
    statuses = set(Enrollment.objects.with_status().values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert StaffProfile.objects.values("department").distinct().count() == 2
    assert User.objects.get(username="trainer").groups.get().name == "Trainers"


def test_running_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo")
    assert snapshot() == before


def test_the_demo_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_demo_runs_with_debug_off_when_forced(db):
    with override_settings(DEBUG=False):
        call_command("load_demo", force=True)
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_demo_accounts_log_in(client, demo):
    response = client.post("/accounts/login/", {"username": "learner", "password": "learner"})
    assert response.status_code == 302
    assert response.url == "/fa/my-training/"
    trainer = client.post("/accounts/login/", {"username": "trainer", "password": "trainer"})
    assert trainer.status_code == 302
    client.force_login(User.objects.get(username="trainer"))
    assert client.get("/admin/").status_code == 200


def test_the_home_page_bears_the_name_the_header_gives_the_site(client, demo):
    persian = client.get("/fa/").text
    brand = re.search(r'<a class="brand"[^>]*>([^<]+)</a>', persian).group(1)
    title = TrainingIndexPage.objects.get(locale__language_code="fa").title
    assert title == brand == "آموزش خدمت به مشتری"


def test_the_home_page_asks_to_log_in_only_visitors_who_are_not(client, demo):
    assert "Log in to see your training" in client.get("/").text
    client.login(username="learner", password="learner")
    for url in ("/", "/fa/"):
        page = client.get(url).text
        assert "Log in to see your training" not in page
        assert "برای دیدن آموزش‌های خود وارد شوید" not in page


def test_the_veteran_tests_out_of_part_of_a_refresher_and_completes_the_rest(demo, client):
    from tests.solutions import passing_posts

    veteran = User.objects.get(username="veteran")
    client.force_login(veteran)
    course = CoursePage.objects.get(slug="empathy", locale__language_code="en")
    enrollment = Enrollment.objects.for_course(course).get(user=veteran)
    old_expiry = enrollment.completions.get(cycle=1).valid_until
    assert "Take the test-out" in client.get(course.url).text

    lessons = [lesson.specific for lesson in course.lessons()]
    quizzes = [a for lesson in lessons for a in lesson.live_activities() if a.can_test_out]
    answers = {}
    for position, quiz in enumerate(quizzes):
        answers.update(passing_posts(quiz)[0] if position == 0 else quiz_answers(quiz, correct=False))
    assert client.post(f"{course.url}test-out/", answers).status_code == 302

    page = client.get(course.url).text
    assert f"Tested out: {html.escape(lessons[0].title)}." in page
    for lesson in lessons:
        for activity in lesson.live_activities():
            for data in passing_posts(activity):
                client.post(f"{lesson.url}activities/{activity.pk}/", data)
    refreshed = Enrollment.objects.with_status().get(pk=enrollment.pk)
    completion = refreshed.completions.get(cycle=2)
    assert refreshed.status == "valid"
    assert completion.valid_from == old_expiry + datetime.timedelta(days=1)
    assert LessonProgress.objects.filter(enrollment=enrollment, cycle=2, tested_out=True).count() == 1
