"""``may_have_open_work_due`` only leaves out enrolments that ``with_status`` would not give open work dated within
the days asked for: on records of every kind, on every day around them, the due-soon list finds the same either way."""

import datetime
import random

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, Cycle, Enrollment, LessonProgress, Status
from courses.testing import make_course, make_lesson, make_user

START = datetime.date(2024, 1, 1)


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))


@pytest.fixture
def records(index):
    """Forty enrolments with histories drawn at random (from a fixed seed): cycles open, started, due or not,
    completions that never expire, that lack a grace period, refreshers after them, and one with no cycle."""
    draw = random.Random(11)  # noqa: S311 - varied records, not secrets
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first")
    for number in range(40):
        enrollment = Enrollment.objects.create(
            user=make_user(f"person{number}"), course=course, source=Enrollment.Source.ASSIGNED
        )
        if number == 0:
            continue  # no cycle at all
        opened = START + datetime.timedelta(days=draw.randrange(0, 500))
        cycles = draw.choice([1, 1, 2, 3])
        for cycle in range(1, cycles + 1):
            due = None if draw.random() < 0.15 else opened + datetime.timedelta(days=draw.randrange(5, 60))
            Cycle.objects.create(enrollment=enrollment, number=cycle, opened_on=opened, due_on=due)
            if draw.random() < 0.5:
                LessonProgress.objects.create(
                    enrollment=enrollment, cycle=cycle, lesson=lesson, started_at=moment(opened + datetime.timedelta(3))
                )
            if cycle == cycles and draw.random() < 0.4:
                break  # the last cycle still open
            completed = opened + datetime.timedelta(days=draw.randrange(1, 90))
            never_expires = draw.random() < 0.15
            valid_until = None if never_expires else completed + datetime.timedelta(days=draw.randrange(60, 400))
            CourseCompletion.objects.create(
                enrollment=enrollment,
                cycle=cycle,
                completed_at=moment(completed),
                valid_from=completed,
                valid_until=valid_until,
                refresher_opens_on=valid_until and valid_until - datetime.timedelta(days=30),
                grace_until=None
                if valid_until is None or draw.random() < 0.2
                else valid_until + datetime.timedelta(days=14),
            )
            opened = (valid_until or completed) - datetime.timedelta(days=30)
    return Enrollment.objects.all()


OPEN_WORK = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.REFRESHER_DUE]


def test_it_leaves_out_only_enrolments_without_open_work_due_in_the_days(records):
    seen = set()
    for day in (START + datetime.timedelta(days=offset) for offset in range(0, 1300, 11)):
        window = (day, day + datetime.timedelta(days=20))
        annotated = records.with_status(day)
        narrowed = records.may_have_open_work_due(*window, on=day).with_status(day)
        for statuses in [[status] for status in OPEN_WORK] + [OPEN_WORK]:
            expected = set(
                annotated.filter(status__in=statuses, status_date__range=window).values_list("pk", flat=True)
            )
            found = narrowed.filter(status__in=statuses, status_date__range=window).values_list("pk", flat=True)
            assert set(found) == expected, (statuses, day)
            seen |= set(statuses) if expected and len(statuses) == 1 else set()
    assert seen == set(OPEN_WORK)  # the records hold each kind of open work, due within the days, on some day


def test_it_narrows(records):
    day = START + datetime.timedelta(days=400)
    candidates = records.may_have_open_work_due(day, day + datetime.timedelta(days=20), on=day)
    assert 0 < candidates.count() < records.count() / 2
