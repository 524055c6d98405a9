"""The learner's pages: catalogue, course, lesson, dashboard, login."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, Enrollment, LessonProgress
from courses.testing import make_course, make_user, quiz_answers


def lessons_of(course):
    return [lesson.specific for lesson in course.get_children()]


def messages_in(response) -> list[str]:
    return re.findall(r'class="(?:message[^"]*|error-summary|field-error)"[^>]*>([^<]+)<', response.content.decode())


def test_the_catalogue_lists_live_courses_with_their_lesson_count(client, course):
    response = client.get("/")

    assert response.status_code == 200
    assert "Listening basics" in response.text
    assert "2 lessons" in response.text


def test_an_anonymous_visitor_is_asked_to_log_in_to_enrol(client, course):
    response = client.get(course.url)

    assert "Log in to enrol" in response.text
    assert 'action="/listening-basics/enrol/"' not in response.text


def test_a_learner_enrols_with_a_post(learner_client, learner, course):
    assert "Enrol in this course" in learner_client.get(course.url).text

    response = learner_client.post(course.url + "enrol/", follow=True)

    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.source == Enrollment.Source.SELF
    assert "You are enrolled" in response.text
    assert "Start: Listen first" in response.text


def test_enrolment_is_not_a_get(learner_client, learner, course):
    assert learner_client.get(course.url + "enrol/").status_code == 405
    assert not Enrollment.objects.exists()


def test_an_assigned_only_course_refuses_self_enrolment(learner_client, learner, index):
    course = make_course(index, "Compliance", allow_self_enrolment=False)

    response = learner_client.post(course.url + "enrol/")

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_a_lesson_asks_anonymous_visitors_to_log_in(client, course):
    lesson = lessons_of(course)[0]
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_a_lesson_sends_a_learner_not_enrolled_to_the_course(learner_client, course):
    response = learner_client.get(lessons_of(course)[0].url, follow=True)

    assert response.redirect_chain[-1][0] == course.url
    assert "Enrol in this course to start its lessons." in messages_in(response)


def test_a_wrong_answer_shows_feedback_and_completes_nothing(learner_client, learner, course, quiz):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = lessons_of(course)[0]

    response = learner_client.post(f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz, correct=False), follow=True)

    assert response.status_code == 200
    assert "You scored 0%. Not yet" in response.text
    assert "Policy first sounds like a wall." in response.text
    assert "Pass every activity above to complete this lesson." in response.text
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_passing_everything_moves_the_bar_and_completes_the_course(learner_client, learner, course, quiz, reflection):
    Enrollment.objects.enrol(learner, course, source="self")
    first, second = lessons_of(course)

    response = learner_client.post(f"{first.url}activities/{quiz.pk}/", quiz_answers(quiz), follow=True)
    assert "Lesson complete" in response.text
    assert 'aria-valuenow="50"' in learner_client.get(course.url).text

    learner_client.post(f"{second.url}activities/{reflection.pk}/", {"response": "I will listen first"})

    assert CourseCompletion.objects.count() == 1
    dashboard = learner_client.get("/my-training/")
    assert re.search(r"completed \d+ \w+ \d{4}", dashboard.text)
    assert "does not expire" in dashboard.text


def test_a_lesson_with_no_activities_is_marked_read(learner_client, learner, index):
    course = make_course(index, "Reading")
    from courses.testing import make_lesson

    lesson = make_lesson(course, "Policies")
    Enrollment.objects.enrol(learner, course, source="self")

    assert "I have read this lesson" in learner_client.get(lesson.url).text
    response = learner_client.post(lesson.url + "complete/")

    assert response.status_code == 302
    assert CourseCompletion.objects.count() == 1


def test_marking_a_lesson_with_activities_read_is_refused(learner_client, learner, course):
    Enrollment.objects.enrol(learner, course, source="self")

    response = learner_client.post(lessons_of(course)[0].url + "complete/")

    assert response.status_code == 409
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_the_dashboard_groups_courses_by_what_to_do(learner_client, learner, index):
    today = timezone.localdate()
    soon = make_course(index, "Due soon")
    later = make_course(index, "Due later")
    open_ended = make_course(index, "Open ended")
    done = make_course(index, "Done")
    Enrollment.objects.enrol(learner, later, source="assigned", due_date=today + datetime.timedelta(days=20))
    Enrollment.objects.enrol(learner, soon, source="assigned", due_date=today - datetime.timedelta(days=1))
    Enrollment.objects.enrol(learner, open_ended, source="self")
    finished, _ = Enrollment.objects.enrol(learner, done, source="self")
    CourseCompletion.objects.create(enrollment=finished, cycle=1)

    response = learner_client.get("/my-training/")

    sections = {
        str(heading): [e.course.title for e in enrollments]
        for heading, enrollments in response.context["sections"]
        if enrollments
    }
    assert sections == {"Overdue": ["Due soon"], "Not started": ["Due later", "Open ended"], "Valid": ["Done"]}
    assert "Overdue" in response.text


def test_the_dashboard_needs_a_login(client, db):
    assert client.get("/my-training/").status_code == 302


@pytest.mark.parametrize(("language", "dashboard"), [("fa", "/fa/my-training/"), ("", "/my-training/")])
def test_logging_in_leads_to_the_preferred_language(client, index, language, dashboard):
    make_user("staff", profile={"preferred_language": language})

    response = client.post("/accounts/login/", {"username": "staff", "password": "staff"})

    assert response.status_code == 302
    assert response.url == dashboard


def test_a_wrong_password_shows_an_error(client, index):
    make_user("staff")
    response = client.post("/accounts/login/", {"username": "staff", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_the_dashboard_lists_a_rules_courses_in_order_with_its_progress(learner_client, learner, index):
    from courses.models import AssignmentRule, AssignmentRuleCourse, StaffProfile

    rule = AssignmentRule.objects.create(name="Onboarding", due_from="assigned")
    for position, title in enumerate(["First", "Second", "Third"]):
        AssignmentRuleCourse.objects.create(
            rule=rule, course=make_course(index, title), sort_order=position, due_after_days=30
        )
    StaffProfile.objects.create(user=learner)

    response = learner_client.get("/my-training/")

    sections = {str(heading): enrollments for heading, enrollments in response.context["sections"]}
    assert [e.course.title for e in sections["Not started"]] == ["First", "Second", "Third"]
    assert "<bdi>Onboarding</bdi>: 0 of 3 courses done" in response.text


def test_an_empty_dashboard_points_to_the_courses(learner_client, index):
    assert "You are not enrolled in any course yet." in learner_client.get("/my-training/").text


def test_apps_add_to_the_header_dashboard_and_course_page_through_hooks(learner_client, learner, course):
    from wagtail import hooks

    Enrollment.objects.enrol(learner, course, source="self")
    added = {
        "training_header_items": lambda context: "<li>header-from-an-app</li>",
        "training_dashboard_panels": lambda context: f"<p>dashboard-for-{context['request'].user}</p>",
        "training_course_panels": lambda context: f"<p>course-{context['page'].slug}</p>",
    }
    with (
        hooks.register_temporarily("training_header_items", added["training_header_items"]),
        hooks.register_temporarily("training_dashboard_panels", added["training_dashboard_panels"]),
        hooks.register_temporarily("training_course_panels", added["training_course_panels"]),
    ):
        dashboard = learner_client.get("/my-training/").text
        course_page = learner_client.get(course.url).text

    assert "<li>header-from-an-app</li>" in dashboard
    assert "<p>dashboard-for-learner</p>" in dashboard
    assert f"<p>course-{course.slug}</p>" in course_page
