"""An organisation of two teams with training in every state, for the compliance reports."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import CourseCompletion, Cycle, Enrollment, LessonProgress, StaffProfile
from courses.roles import LEARNERS, MANAGERS, set_up_roles
from courses.testing import make_course, make_lesson, make_user


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def enrol(
    user,
    course,
    *,
    enrolled: int,
    due_in: int = 30,
    completed: int | None = None,
    valid_for: int = 365,
    started: bool = False,
) -> Enrollment:
    """Enrol ``user`` ``enrolled`` days ago, due ``due_in`` days after; completed ``completed`` days ago if given."""
    enrollment, _ = Enrollment.objects.enrol(user, course, source=Enrollment.Source.ASSIGNED)
    enrolled_on = days_ago(enrolled)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at(enrolled_on))
    Cycle.objects.filter(enrollment=enrollment).update(
        opened_on=enrolled_on, due_on=enrolled_on + datetime.timedelta(days=due_in)
    )
    if started or completed is not None:
        lesson = course.get_children().first()
        LessonProgress.objects.create(
            enrollment=enrollment, cycle=1, lesson_id=lesson.pk, started_at=at(days_ago(completed or enrolled - 1))
        )
    if completed is not None:
        done = days_ago(completed)
        CourseCompletion.objects.create(
            enrollment=enrollment,
            cycle=1,
            completed_at=at(done),
            valid_from=done,
            valid_until=done + datetime.timedelta(days=valid_for),
            refresher_opens_on=done + datetime.timedelta(days=valid_for - 30),
            grace_until=done + datetime.timedelta(days=valid_for + 14),
        )
    return enrollment


@pytest.fixture
def org(index, course):
    """Two teams, each under its manager, both under a director; a second course.

    Team of ``mina`` (customer service): ``ali`` valid, ``bita`` overdue, ``cyrus`` under ``ali``, due soon.
    Team of ``omid`` (branches): ``dara`` overdue, ``elin`` expired.
    """
    second = make_course(index, "Calm under fire")
    make_lesson(second, "Breathe")
    set_up_roles()
    managers, learners = Group.objects.get(name=MANAGERS), Group.objects.get(name=LEARNERS)
    director = make_user("director", first_name="Dina", last_name="Director")
    people = {"director": director}
    StaffProfile.objects.create(user=director, department="Head office")
    for username, first, manager, department, hired in [
        ("mina", "Mina", "director", "Customer service", "2020-01-01"),
        ("omid", "Omid", "director", "Branches", "2021-01-01"),
        ("ali", "Ali", "mina", "Customer service", "2022-03-01"),
        ("bita", "Bita", "mina", "Customer service", "2023-05-01"),
        ("cyrus", "Cyrus", "ali", "Customer service", "2024-07-01"),
        ("dara", "Dara", "omid", "Branches", "2022-09-01"),
        ("elin", "Elin", "omid", "Branches", "2019-02-01"),
    ]:
        user = make_user(username, first_name=first, last_name=f"{first}son")
        StaffProfile.objects.create(
            user=user,
            manager=people[manager],
            department=department,
            hire_date=datetime.date.fromisoformat(hired),
            persian_name=f"{first} به فارسی",
        )
        user.groups.add(managers if username in ("mina", "omid") else learners)
        people[username] = user
    enrol(people["ali"], course, enrolled=100, completed=50)
    enrol(people["ali"], second, enrolled=100, completed=40)
    enrol(people["bita"], course, enrolled=100, due_in=30)
    enrol(people["cyrus"], course, enrolled=20, due_in=23, started=True)
    enrol(people["dara"], course, enrolled=90, due_in=30)
    enrol(people["elin"], course, enrolled=500, completed=420)
    return {"people": people, "courses": [course, second]}


@pytest.fixture
def manager_client(client, org):
    """Logged in as ``mina``, manager of ali, bita and (through ali) cyrus."""
    client.force_login(org["people"]["mina"])
    return client
