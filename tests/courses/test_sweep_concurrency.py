"""Two sweeps at once write exactly what one sweep writes: one new cycle per window, one enrolment per course."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from courses import refreshers
from courses.models import (
    AssignmentRule,
    AssignmentRuleCourse,
    CourseCompletion,
    Cycle,
    Enrollment,
    Renewal,
    StaffProfile,
)
from courses.refreshers import run_sweep
from courses.testing import make_course, make_training_site, make_user

#: Staff whose refresher window has opened, staff still valid, and new staff no rule has enrolled yet.
DUE, VALID, NEW = 12, 4, 8


def build_organisation(today: datetime.date) -> list:
    """Two yearly courses on an "everyone" rule; the histories as the workflows would have written them."""
    index = make_training_site()
    courses = [
        make_course(index, title, renewal=Renewal.EVERY_N_MONTHS, renew_every_months=12, refresher_window_days=30)
        for title in ("Listening", "Empathy")
    ]
    rule = AssignmentRule.objects.create(
        name="Everyone", audience=AssignmentRule.Audience.EVERYONE, due_from=AssignmentRule.DueFrom.HIRE_DATE
    )
    for position, course in enumerate(courses):
        AssignmentRuleCourse.objects.create(rule=rule, course=course, sort_order=position, due_after_days=14)
    users = [make_user(f"staff{number}") for number in range(DUE + VALID + NEW)]
    for number, user in enumerate(users[: DUE + VALID]):
        # 340 days ago the window of a year's validity has opened; 200 days ago it has not.
        completed_on = today - datetime.timedelta(days=340 if number < DUE else 200)
        for course in courses:
            enrollment, _ = Enrollment.objects.enrol(user, course, source=Enrollment.Source.AUTOMATIC, rule=rule)
            Cycle.objects.filter(enrollment=enrollment).update(opened_on=completed_on, due_on=completed_on)
            completion = CourseCompletion(enrollment=enrollment, cycle=1)
            completion.set_validity(course.refresher_policy.validity(completed_on))
            completion.save()
            Enrollment.objects.filter(pk=enrollment.pk).update(refresher_opens_on=completion.refresher_opens_on)
    # Profiles written in bulk send no signal, so the new staff wait for the sweep to enrol them.
    StaffProfile.objects.bulk_create(
        StaffProfile(user=user, hire_date=today - datetime.timedelta(days=3), department="Front desk") for user in users
    )
    return courses


def snapshot() -> tuple[list, list]:
    """Every enrolment and cycle, by learner and course, without the ids and times that differ between runs."""
    enrollments = Enrollment.objects.order_by("user__username", "course_id").values_list(
        "user__username", "course_id", "source", "rule_id", "cycle", "refresher_opens_on", "released_on"
    )
    cycles = Cycle.objects.order_by("enrollment__user__username", "enrollment__course_id", "number").values_list(
        "enrollment__user__username", "enrollment__course_id", "number", "is_refresher", "opened_on", "due_on"
    )
    return list(enrollments), list(cycles)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_what_one_sweep_writes(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; sweeps taking turns is tested on PostgreSQL.")
    today = timezone.localdate()
    courses = build_organisation(today)
    before = snapshot()
    with transaction.atomic():
        run_sweep(today)
        expected = snapshot()
        transaction.set_rollback(True)
    assert snapshot() == before
    start, opening = threading.Barrier(2), threading.Barrier(2, timeout=2)
    open_refresher_cycles = refreshers.open_refresher_cycles

    def open_together(day):
        # Sweeps that did not take turns would both open cycles from here at once; taking turns, the first
        # waits here in vain and goes on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            opening.wait()
        return open_refresher_cycles(day)

    monkeypatch.setattr(refreshers, "open_refresher_cycles", open_together)
    reports = []

    def sweep():
        try:
            start.wait()
            reports.append(run_sweep(today))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert snapshot() == expected
    assert len(reports) == 2
    assert sum(report.refreshers_opened for report in reports) == DUE * len(courses)
    assert sum(report.assignments.enrolled for report in reports) == NEW * len(courses)
    assert Enrollment.objects.count() == (DUE + VALID + NEW) * len(courses)
    refresher_cycles = Cycle.objects.filter(number=2, is_refresher=True)
    assert refresher_cycles.count() == DUE * len(courses)
    assert set(Enrollment.objects.filter(cycles__in=refresher_cycles).values_list("cycle", flat=True)) == {2}
    assert Cycle.objects.filter(number=1).count() == (DUE + VALID + NEW) * len(courses)
    assert not Cycle.objects.filter(number__gt=2).exists()
