"""Refresher cycles over the life of an employee, the refresher policy's dates, and the one status."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import (
    AssignmentRule,
    AssignmentRuleCourse,
    CourseCompletion,
    CoursePage,
    Cycle,
    Enrollment,
    LessonProgress,
    RefresherPolicy,
    Renewal,
    Status,
    ValidityChange,
)
from courses.refreshers import apply_current_policy, run_sweep
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_user, quiz_answers

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def on(day: str):
    """Freeze the clock at ten in the morning of ``day`` in the site's time zone."""
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=TEHRAN), tick=False)


def date(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


# The refresher policy's dates


@pytest.mark.parametrize(
    ("valid_from", "months", "until"),
    [
        ("2026-01-25", 12, "2027-01-24"),
        ("2026-03-01", 12, "2027-02-28"),
        ("2027-03-01", 12, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-12-15", 6, "2027-06-14"),
    ],
)
def test_every_n_months_runs_to_the_day_before_the_anniversary(valid_from, months, until):
    policy = RefresherPolicy(renewal=Renewal.EVERY_N_MONTHS, every_months=months)
    assert policy.expiry(date(valid_from)) == date(until)


@pytest.mark.parametrize(
    ("valid_from", "until"),
    [
        # Across the year end: a completion in late December runs to the next year's fixed day.
        ("2026-12-20", "2027-12-31"),
        ("2026-11-15", "2026-12-31"),
        ("2027-01-01", "2027-12-31"),
    ],
)
def test_a_fixed_day_never_starts_inside_its_refresher_window(valid_from, until):
    policy = RefresherPolicy(renewal=Renewal.FIXED_DATE, fixed_month=12, fixed_day=31, window_days=30)
    validity = policy.validity(date(valid_from))
    assert validity.until == date(until)
    assert validity.refresher_opens_on > date(valid_from)


def test_29_february_as_fixed_day_is_28_february_in_a_common_year():
    policy = RefresherPolicy(renewal=Renewal.FIXED_DATE, fixed_month=2, fixed_day=29, window_days=10)
    assert policy.expiry(date("2026-06-01")) == date("2027-02-28")
    assert policy.expiry(date("2027-06-01")) == date("2028-02-29")


def test_window_and_grace_sit_around_the_expiry():
    policy = RefresherPolicy(renewal=Renewal.EVERY_N_MONTHS, every_months=12, window_days=30, grace_days=14)
    validity = policy.validity(date("2026-01-25"))
    assert (validity.refresher_opens_on, validity.until, validity.grace_until) == (
        date("2026-12-25"),
        date("2027-01-24"),
        date("2027-02-07"),
    )
    assert RefresherPolicy().validity(date("2026-01-25")).until is None


# Two years in the life of one employee


@pytest.fixture
def yearly_course(index):
    """Four lessons (three quizzes, then a reflection), valid a year, a month's window, two weeks' grace."""
    course = make_course(
        index,
        "Listening basics",
        renewal=Renewal.EVERY_N_MONTHS,
        renew_every_months=12,
        refresher_window_days=30,
        grace_days=14,
        test_out="refreshers",
    )
    for number in (1, 2, 3):
        make_lesson(course, f"Lesson {number}", activities=[make_quiz(title=f"Quiz {number}")])
    make_lesson(course, "Lesson 4", activities=[make_reflection()])
    rule = AssignmentRule.objects.create(name="Everyone", due_from=AssignmentRule.DueFrom.HIRE_DATE)
    AssignmentRuleCourse.objects.create(rule=rule, course=course, sort_order=0, due_after_days=30)
    return course


class Life:
    """One employee's course, driven through the site as they would."""

    def __init__(self, client, course: CoursePage, user):
        self.client, self.course, self.user = client, course, user
        client.force_login(user)
        self.lessons = [lesson.specific for lesson in course.lessons()]
        self.seen: dict[datetime.date, str] = {}

    @property
    def enrollment(self) -> Enrollment:
        return Enrollment.objects.get(user=self.user)

    def status(self) -> tuple[str, datetime.date | None]:
        """Today's status, remembered to compare with the status as of today computed later."""
        enrollment = Enrollment.objects.with_status().get(user=self.user)
        self.seen[timezone.localdate()] = enrollment.status
        return enrollment.status, enrollment.status_date

    def log_in(self):
        """Log in afresh: the session of a day long past has expired."""
        self.client.force_login(self.user)
        return self.client

    def do_lesson(self, number: int) -> None:
        self.log_in()
        lesson = self.lessons[number - 1]
        activity = lesson.live_activities()[0]
        data = quiz_answers(activity) if hasattr(activity, "question_list") else {"response": "I listen, then I act."}
        assert self.client.post(f"{lesson.url}activities/{activity.pk}/", data).status_code == 302

    def sweep_twice(self):
        """Sweep, then sweep again: the second run must write nothing."""
        first = run_sweep()
        snapshot = records()
        again = run_sweep()
        assert records() == snapshot
        assert (again.refreshers_opened, again.assignments.enrolled) == (0, 0)
        return first


def records() -> dict:
    return {
        "cycles": list(
            Cycle.objects.values_list("number", "is_refresher", "opened_on", "due_on", "completed").order_by("pk")
        ),
        "enrollments": list(Enrollment.objects.values_list("cycle", "refresher_opens_on", "released_on")),
        "completions": list(CourseCompletion.objects.values_list("cycle", "valid_from", "valid_until")),
    }


def test_two_years_of_an_employee(client, yearly_course):
    with on("2026-01-05"):
        user = make_user("sara", profile={"hire_date": date("2026-01-05")})
        life = Life(client, yearly_course, user)
        assert life.status() == (Status.NOT_STARTED, date("2026-02-04"))
        assert life.enrollment.source == "automatic"

    with on("2026-01-20"):
        life.do_lesson(1)
        assert life.status() == (Status.IN_PROGRESS, date("2026-02-04"))

    with on("2026-01-25"):
        for number in (2, 3, 4):
            life.do_lesson(number)
        assert life.status() == (Status.VALID, date("2027-01-24"))

    with on("2026-12-24"):
        assert life.sweep_twice().refreshers_opened == 0
        assert life.status() == (Status.VALID, date("2027-01-24"))

    with on("2026-12-25"):
        assert life.sweep_twice().refreshers_opened == 1
        refresher = Cycle.objects.get(number=2)
        assert (refresher.is_refresher, refresher.opened_on, refresher.due_on) == (
            True,
            date("2026-12-25"),
            date("2027-01-24"),
        )
        assert life.status() == (Status.REFRESHER_DUE, date("2027-01-24"))
        # The first cycle was marked completed with its completion; the refresher opens unmarked.
        assert list(Cycle.objects.values_list("number", "completed").order_by("number")) == [(1, True), (2, False)]

    with on("2026-12-28"):
        life.log_in()
        assert "Take the test-out" in client.get(yearly_course.url).text
        quizzes = [lesson.live_activities()[0] for lesson in life.lessons[:3]]
        answers = {**quiz_answers(quizzes[0]), **quiz_answers(quizzes[1]), **quiz_answers(quizzes[2], correct=False)}
        assert client.post(f"{yearly_course.url}test-out/", answers).status_code == 302
        tested_out = LessonProgress.objects.filter(cycle=2, tested_out=True, completed_at__isnull=False)
        assert sorted(tested_out.values_list("lesson__title", flat=True)) == ["Lesson 1", "Lesson 2"]
        page = client.get(yearly_course.url).text
        assert "Tested out: Lesson 1, Lesson 2." in page
        assert "Take the test-out" not in page
        assert client.post(f"{yearly_course.url}test-out/", answers).status_code == 302  # offered once only
        assert LessonProgress.objects.filter(cycle=2).count() == 2

    with on("2027-01-05"):
        life.do_lesson(3)
        life.do_lesson(4)
        # Completed early, inside the window: validity runs on from the old expiry.
        assert life.status() == (Status.VALID, date("2028-01-24"))
        assert CourseCompletion.objects.get(cycle=2).valid_from == date("2027-01-25")

    with on("2027-12-25"):
        assert life.sweep_twice().refreshers_opened == 1
        assert life.status() == (Status.REFRESHER_DUE, date("2028-01-24"))

    with on("2028-01-25"):
        life.sweep_twice()
        assert life.status() == (Status.IN_GRACE, date("2028-02-07"))

    with on("2028-02-08"):
        assert life.sweep_twice().expired == 1
        assert life.status() == (Status.EXPIRED, date("2028-02-08"))

    with on("2028-03-01"):
        for number in (1, 2, 3, 4):
            life.do_lesson(number)
        # Completed after the grace period: validity starts from the completion.
        assert life.status() == (Status.VALID, date("2029-02-28"))

    assert list(Cycle.objects.values_list("number", "completed").order_by("number")) == [
        (1, True),
        (2, True),
        (3, True),
    ]
    assert list(CourseCompletion.objects.values_list("cycle", flat=True).order_by("cycle")) == [1, 2, 3]
    # The status as of each past day, worked out now from the records, is the one that day had.
    for day, status in life.seen.items():
        assert Enrollment.objects.with_status(on=day).get(user=user).status == status, day


def test_the_dashboard_costs_the_same_queries_for_many_courses_with_long_histories(client, index):
    learner = make_user("learner")
    client.force_login(learner)
    make_course(index, "Warm-up")
    Enrollment.objects.enrol(learner, CoursePage.objects.get(slug="warm-up"), source="self")
    client.get("/my-training/")
    with CaptureQueriesContext(connection) as one:
        client.get("/my-training/")
    for number in range(11):
        course = make_course(index, f"Course {number}")
        enrollment, _ = Enrollment.objects.enrol(learner, course, source="assigned")
        for cycle in range(1, 6):
            Cycle.objects.get_or_create(
                enrollment=enrollment, number=cycle, defaults={"opened_on": date("2020-01-01"), "is_refresher": True}
            )
            CourseCompletion.objects.create(enrollment=enrollment, cycle=cycle, valid_until=date("2030-01-01"))
        Enrollment.objects.filter(pk=enrollment.pk).update(cycle=5)
    client.get("/my-training/")  # new pages: each process finds the site again once, as before `one`
    with CaptureQueriesContext(connection) as twelve:
        response = client.get("/my-training/")
    assert response.status_code == 200
    assert len(twelve) == len(one)


# Test-outs


@pytest.fixture
def refresher_due(client, yearly_course):
    """A learner a year on, in the refresher cycle of the yearly course, logged in."""
    learner = make_user("sara", profile={"hire_date": date("2025-01-05")})
    life = Life(client, yearly_course, learner)
    with on("2025-01-10"):
        for number in (1, 2, 3, 4):
            life.do_lesson(number)
    with on("2025-12-20"):
        run_sweep()
    return life


def test_an_incomplete_test_out_is_refused_and_records_nothing(refresher_due, yearly_course):
    with on("2025-12-21"):
        client = refresher_due.log_in()
        first_quiz = refresher_due.lessons[0].live_activities()[0]
        response = client.post(f"{yearly_course.url}test-out/", quiz_answers(first_quiz))

        assert response.status_code == 400
        assert "Nothing was recorded" in response.text
        assert not LessonProgress.objects.filter(cycle=2).exists()
        assert not Cycle.objects.get(number=2).test_out_taken_at
        assert "Take the test-out" in client.get(yearly_course.url).text


def test_a_test_out_leaves_out_lessons_with_nothing_to_test(refresher_due, yearly_course):
    with on("2025-12-21"):
        page = refresher_due.log_in().get(f"{yearly_course.url}test-out/").text
    assert "Lesson 1" in page
    assert "Lesson 3" in page
    assert "Lesson 4" not in page  # a reflection only


def test_no_test_out_where_the_course_does_not_allow_it(refresher_due, yearly_course):
    CoursePage.objects.filter(pk=yearly_course.pk).update(test_out="never")
    with on("2025-12-21"):
        client = refresher_due.log_in()
        assert "Take the test-out" not in client.get(yearly_course.url).text
        assert client.get(f"{yearly_course.url}test-out/").status_code == 302


def test_no_test_out_once_the_cycle_is_started(refresher_due, yearly_course):
    with on("2025-12-21"):
        refresher_due.do_lesson(4)
        assert "Take the test-out" not in refresher_due.client.get(yearly_course.url).text


def test_the_first_cycle_offers_a_test_out_only_when_the_course_says_so(client, yearly_course):
    learner = make_user("new", profile={"hire_date": timezone.localdate()})
    client.force_login(learner)
    assert "Take the test-out" not in client.get(yearly_course.url).text
    CoursePage.objects.filter(pk=yearly_course.pk).update(test_out="always")
    assert "Take the test-out" in client.get(yearly_course.url).text


# Trainers


def test_a_trainer_sees_a_learners_whole_history(refresher_due, trainer_client):
    profile = refresher_due.user.staff_profile

    with on("2025-12-21"):
        page = trainer_client.get(f"/admin/staff_profiles/inspect/{profile.pk}/").text

    assert "Listening basics" in page
    assert "Refresher due" in page
    assert page.count("Quiz 1") == 1
    assert "First time" in page


def test_applying_a_new_policy_re_dates_completions_and_logs_it(refresher_due, yearly_course, trainer_client):
    trainer_client.raise_request_exception = True
    completion = CourseCompletion.objects.get()
    assert completion.valid_until == date("2026-01-09")
    course = CoursePage.objects.get(pk=yearly_course.pk)
    course.renew_every_months = 24
    course.save_revision().publish()
    url = f"/admin/training/courses/{yearly_course.pk}/apply-policy/"
    assert "Re-date 1 completion" in trainer_client.get(url).text

    assert trainer_client.post(url).status_code == 302

    completion.refresh_from_db()
    assert completion.valid_until == date("2027-01-09")
    assert Cycle.objects.get(number=2).due_on == date("2027-01-09")
    change = ValidityChange.objects.get()
    assert (change.previous_until, change.new_until, change.changed_by.username) == (
        date("2026-01-09"),
        date("2027-01-09"),
        "trainer",
    )


def test_a_new_policy_re_dates_each_learners_own_cycle_and_refresher_date(client, yearly_course):
    """Two learners in refresher cycles and one not yet: each gets the dates of their own completion."""
    for username, completed in [("sara", "2025-01-10"), ("omid", "2025-01-20"), ("nima", "2025-11-01")]:
        life = Life(client, yearly_course, make_user(username, profile={"hire_date": date("2024-12-01")}))
        with on(completed):
            for number in (1, 2, 3, 4):
                life.do_lesson(number)
    with on("2025-12-30"):
        run_sweep()
    course = CoursePage.objects.get(pk=yearly_course.pk)
    course.renew_every_months = 24
    course.save_revision().publish()

    def due_dates(username: str) -> list:
        return list(
            Cycle.objects.filter(enrollment__user__username=username)
            .order_by("number")
            .values_list("due_on", flat=True)
        )

    first_due = {name: due_dates(name)[0] for name in ("sara", "omid")}

    with on("2025-12-31"):
        changed = apply_current_policy(course, changed_by=make_user("trainer"))

    assert changed == 3
    # Valid until the day before the second anniversary; the refresher window opens 30 days before that.
    assert due_dates("sara") == [first_due["sara"], date("2027-01-09")]
    assert due_dates("omid") == [first_due["omid"], date("2027-01-19")]
    nima = Enrollment.objects.get(user__username="nima")
    assert nima.cycle == 1
    assert nima.refresher_opens_on == date("2027-10-31") - datetime.timedelta(days=30)
