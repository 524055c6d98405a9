import datetime
import zoneinfo

import pytest
import time_machine

from courses.models import AssignmentRule, AssignmentRuleCourse, Renewal
from courses.testing import make_course, make_lesson, make_quiz, translate

FRONT_DESK = "Front desk"
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def on(day: str):
    """Freeze the clock at ten in the morning of ``day`` in the site's time zone."""
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=TEHRAN), tick=False)


def date(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


@pytest.fixture
def yearly_course(index):
    """One lesson with a quiz, valid a year, a month's refresher window, two weeks' grace; due 30 days after hire,
    for the front desk.
    It has a Persian translation."""
    course = make_course(
        index, "Listening basics", renewal=Renewal.EVERY_N_MONTHS, renew_every_months=12, refresher_window_days=30
    )
    make_lesson(course, "Lesson 1", activities=[make_quiz()])
    translate(course, "fa", title="مبانی گوش دادن", slug="listening-fa")
    rule = AssignmentRule.objects.create(
        name="Front desk",
        audience=AssignmentRule.Audience.DEPARTMENT,
        department=FRONT_DESK,
        due_from=AssignmentRule.DueFrom.HIRE_DATE,
    )
    AssignmentRuleCourse.objects.create(rule=rule, course=course, sort_order=0, due_after_days=30)
    return course
