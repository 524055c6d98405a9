"""The demo organisation: two departments under a director, about twenty staff, training histories.

Histories are written as the workflows would have written them on the days they happened, so that
every status appears on the day the demo is built: valid, refresher due, in grace, expired, overdue,
in progress and not started. Dates count back from today, so the demo looks the same whenever it is built.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.utils import timezone

from courses.models import (
    AssignmentRule,
    AssignmentRuleCourse,
    CourseCompletion,
    CoursePage,
    Cycle,
    Enrollment,
    LessonProgress,
    Renewal,
    StaffProfile,
)
from courses.models.pages import TestOut
from courses.refreshers import run_sweep

MANAGERS = {"director", "branch_manager"}
CUSTOMER_SERVICE = "Customer service"
BRANCHES = "Branch service"


@dataclass(frozen=True)
class Person:
    username: str
    latin_name: tuple[str, str]
    persian_name: str
    department: str
    manager: str | None
    hired_days_ago: int
    language: str = "fa"
    #: Days ago each course was completed, oldest first; the same for each course, a few days apart.
    completed_days_ago: tuple[int, ...] = ()
    #: Days ago the customer-facing rule enrolled them; None: the rules enrol them when the demo is built.
    enrolled_days_ago: int | None = None
    started: bool = False


# The accounts load_demo makes (admin, trainer, manager, learner, veteran) get their profiles here too.
PEOPLE = [
    Person("director", ("Farhad", "Kazemi"), "فرهاد کاظمی", CUSTOMER_SERVICE, None, 4100, "en"),
    Person("manager", ("Mehdi", "Rahimi"), "مهدی رحیمی", CUSTOMER_SERVICE, "director", 3900, "en", (100,), 500),
    Person("branch_manager", ("Sara", "Jafari"), "سارا جعفری", BRANCHES, "director", 2900, "fa", (200,), 600),
    # A new hire on the onboarding rule, and the veteran whose refresher is due.
    Person("learner", ("Leila", "Ahmadi"), "لیلا احمدی", CUSTOMER_SERVICE, "manager", 6, "fa"),
    Person("veteran", ("Vahid", "Sadeghi"), "وحید صادقی", CUSTOMER_SERVICE, "manager", 2630, "en", (345,), 380),
    Person("nima", ("Nima", "Rostami"), "نیما رستمی", CUSTOMER_SERVICE, "manager", 1000, "fa", (90,), 130),
    Person("parisa", ("Parisa", "Hosseini"), "پریسا حسینی", CUSTOMER_SERVICE, "manager", 900, "fa", (350,), 400),
    Person("reza", ("Reza", "Karimi"), "رضا کریمی", CUSTOMER_SERVICE, "manager", 800, "fa", (372,), 420),
    Person("sahar", ("Sahar", "Mohammadi"), "سحر محمدی", CUSTOMER_SERVICE, "manager", 700, "fa", (430,), 470),
    Person("omid", ("Omid", "Najafi"), "امید نجفی", CUSTOMER_SERVICE, "manager", 70, "fa"),
    Person("mina", ("Mina", "Ebrahimi"), "مینا ابراهیمی", CUSTOMER_SERVICE, "manager", 20, "fa", started=True),
    Person("kaveh", ("Kaveh", "Shams"), "کاوه شمس", CUSTOMER_SERVICE, "manager", 1090, "en", (700, 300), 740),
    Person("elham", ("Elham", "Zare"), "الهام زارع", CUSTOMER_SERVICE, "manager", 1080, "fa", (720, 345), 760),
    Person("arash", ("Arash", "Moradi"), "آرش مرادی", BRANCHES, "branch_manager", 950, "fa", (60,), 100),
    Person("shirin", ("Shirin", "Alavi"), "شیرین علوی", BRANCHES, "branch_manager", 850, "fa", (760, 400), 800),
    Person("babak", ("Babak", "Tehrani"), "بابک تهرانی", BRANCHES, "branch_manager", 600, "en", (375,), 410),
    Person("neda", ("Neda", "Safavi"), "ندا صفوی", BRANCHES, "branch_manager", 500, "fa", (340,), 380),
    Person("hamid", ("Hamid", "Azizi"), "حمید عزیزی", BRANCHES, "branch_manager", 300, "fa", (), 45),
    Person("yasaman", ("Yasaman", "Ghorbani"), "یاسمن قربانی", BRANCHES, "branch_manager", 3, "fa"),
    Person("pouya", ("Pouya", "Yazdani"), "پویا یزدانی", BRANCHES, "branch_manager", 1050, "en", (720, 330), 760),
    Person("maryam", ("Maryam", "Kazemi"), "مریم کاظمی", BRANCHES, "branch_manager", 400, "fa", (), 10, True),
]


def set_refresher_policies(courses: list[CoursePage]) -> None:
    """Every course lasts a year, opens its refresher a month before, allows two weeks' grace, and lets a
    refresher start with a test-out."""
    for course in courses:
        course.renewal = Renewal.EVERY_N_MONTHS
        course.renew_every_months = 12
        course.refresher_window_days = 30
        course.grace_days = 14
        course.test_out = TestOut.REFRESHERS
        course.save_revision().publish()


def customer_facing_rule(courses: list[CoursePage]) -> AssignmentRule:
    """Everyone with a staff profile holds every course, due a month after the rule first applied to them."""
    rule = AssignmentRule(
        name="Customer-facing staff",
        persian_name="کارکنان در تماس با مشتری",
        audience=AssignmentRule.Audience.EVERYONE,
        due_from=AssignmentRule.DueFrom.ASSIGNED,
    )
    rule.courses = [
        AssignmentRuleCourse(course=course, sort_order=position, due_after_days=30)
        for position, course in enumerate(courses)
    ]
    rule.save()
    return rule


def build_organisation(users: dict[str, User], groups: dict[str, Group], courses: list[CoursePage]) -> None:
    """Staff profiles, the customer-facing rule and the histories of ``PEOPLE``. Run once, on a new demo."""
    today = timezone.localdate()
    set_refresher_policies(courses)
    rule = customer_facing_rule(courses)
    for person in PEOPLE:
        group = groups["Managers"] if person.username in MANAGERS else groups["Learners"]
        user = users.get(person.username) or _make_account(person, group)
        users[person.username] = user
        if person.enrolled_days_ago is not None:
            for offset, course in enumerate(courses):
                _write_history(user, course, rule, person, today, shift=offset * 3)
    for person in PEOPLE:
        # Creating a profile applies the rules: the onboarding rule to new hires, the customer-facing rule to all.
        StaffProfile.objects.create(
            user=users[person.username],
            hire_date=today - datetime.timedelta(days=person.hired_days_ago),
            department=person.department,
            manager=users.get(person.manager),
            preferred_language=person.language,
            persian_name=person.persian_name,
        )
        if person.started:
            _start_first_lesson(users[person.username], courses[0])
    run_sweep(today)


def _make_account(person: Person, group: Group) -> User:
    first_name, last_name = person.latin_name
    user = User.objects.create_user(
        person.username,
        email=f"{person.username}@example.com",
        password=person.username,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(group)
    return user


def _write_history(
    user: User, course: CoursePage, rule: AssignmentRule, person: Person, today: datetime.date, shift: int
) -> None:
    """Enrol ``person`` on the day the rule first applied, and record each completion as it happened."""

    def days_ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days - shift)

    enrolled_on = days_ago(person.enrolled_days_ago)
    enrollment, _ = Enrollment.objects.enrol(user, course, source=Enrollment.Source.AUTOMATIC, rule=rule)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=_at(enrolled_on))
    Cycle.objects.filter(enrollment=enrollment).update(
        opened_on=enrolled_on, due_on=enrolled_on + datetime.timedelta(days=30)
    )
    lessons = list(course.lessons().filter(required=True))
    policy = course.refresher_policy
    previous = None
    for number, completed in enumerate(map(days_ago, person.completed_days_ago), start=1):
        if previous is not None:
            Cycle.objects.create(
                enrollment=enrollment,
                number=number,
                is_refresher=True,
                opened_on=previous.refresher_opens_on,
                due_on=previous.valid_until,
            )
        on_time = previous is not None and completed <= previous.grace_until
        valid_from = previous.valid_until + datetime.timedelta(days=1) if on_time else completed
        LessonProgress.objects.bulk_create(
            LessonProgress(
                enrollment=enrollment,
                cycle=number,
                lesson=lesson,
                started_at=_at(completed),
                completed_at=_at(completed),
            )
            for lesson in lessons
            if number == 1 or lesson.in_refreshers
        )
        previous = CourseCompletion(enrollment=enrollment, cycle=number, completed_at=_at(completed))
        previous.set_validity(policy.validity(valid_from))
        previous.save()
    if previous is not None:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            cycle=len(person.completed_days_ago), refresher_opens_on=previous.refresher_opens_on
        )


def _start_first_lesson(user: User, course: CoursePage) -> None:
    enrollment = Enrollment.objects.for_user(user).for_course(course).get()
    LessonProgress.objects.create(enrollment=enrollment, cycle=enrollment.cycle, lesson=course.lessons().first())


def _at(day: datetime.date) -> datetime.datetime:
    """Half past ten in the morning of ``day``, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
