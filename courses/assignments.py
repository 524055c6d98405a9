"""Applying assignment rules: enrol the staff each rule applies to, release those it no longer does.

Contract:

* Set-based and idempotent: a second run writes nothing. Enrolments and cycles are created
  with ``ignore_conflicts`` behind unique constraints, so runs at the same time cannot double them.
* Someone an active rule applies to is enrolled in each of its courses they are not enrolled in
  yet (how: by an assignment rule, which one), with a first cycle due ``due_after_days`` after their
  hire date or after the day the rule first applied to them, as the rule says. Where several rules
  give the same course, the earliest due date wins.
* An enrolment made by a rule whose learner no active rule with that course applies to any more
  (they moved on, or their account was deactivated) is *released*: it is no longer required and
  nobody chases it, and its records stay. If a rule applies again, it is required again.
* Trainers' assignments and self-enrolments are left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import batched

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import AssignmentRule, CoursePage, Cycle, Enrollment

#: Rows written per statement, to keep memory and statement size bounded.
BATCH_SIZE = 2000


@dataclass
class AssignmentReport:
    enrolled: int = 0
    released: int = 0
    required_again: int = 0


def apply_assignment_rules(
    today: datetime.date | None = None, user_ids: Iterable[int] | None = None
) -> AssignmentReport:
    """Apply every active rule, to everyone or only to ``user_ids``."""
    today = today or timezone.localdate()
    report = AssignmentReport()
    rules = list(AssignmentRule.objects.active().prefetch_related("courses__course"))
    user_ids = None if user_ids is None else list(user_ids)
    audiences: dict[int, Q] = {}  # course id: whom its rules apply to, as a condition on accounts
    givers: dict[int, set[int]] = {}  # course id: the ids of the rules that give it
    # For each course, each newcomer's earliest due date among the rules that give it, and that rule.
    newcomers: dict[int, dict[int, tuple[datetime.date, AssignmentRule]]] = {}
    for rule in rules:
        profiles = rule.audience_profiles()
        if user_ids is not None:
            profiles = profiles.filter(user_id__in=user_ids)
        steps = list(rule.courses.all())
        for step in steps:
            course_id = step.course.canonical_id
            # EXISTS rather than IN, so that PostgreSQL sees how few accounts fall outside an audience.
            in_audience = Q(Exists(rule.audience_profiles().filter(user=OuterRef("pk"))))
            audiences[course_id] = audiences.get(course_id, Q()) | in_audience
            givers.setdefault(course_id, set()).add(rule.pk)
        for lacking in batched(_lacking_some(profiles, {step.course.canonical_id for step in steps}), BATCH_SIZE):
            held = set(
                Enrollment.objects.filter(user_id__in=[user_id for user_id, _ in lacking]).values_list(
                    "user_id", "course_id"
                )
            )
            for step in steps:
                course_id = step.course.canonical_id
                waiting = newcomers.setdefault(course_id, {})
                for user_id, hire_date in lacking:
                    if (user_id, course_id) in held:
                        continue
                    due = _first_due_date(rule, step.due_after_days, hire_date, today)
                    if user_id not in waiting or due < waiting[user_id][0]:
                        waiting[user_id] = (due, rule)
    for course_id, waiting in newcomers.items():
        report.enrolled += _enrol(course_id, waiting, today)
    automatic = Enrollment.objects.filter(source=Enrollment.Source.AUTOMATIC)
    if user_ids is not None:
        automatic = automatic.filter(user_id__in=user_ids)
    # Courses given by the same rules have the same audience: release them, and require them again, in one
    # statement each, so that the statements grow with the audiences rather than the courses.
    courses_by_givers: dict[frozenset[int], list[int]] = {}
    # Each course asked whether it has any automatic enrolment: an index lookup each, not a pass over them all.
    enrolled_by_rules = CoursePage.objects.filter(Exists(automatic.filter(course=OuterRef("pk"))))
    for course_id in set(enrolled_by_rules.values_list("pk", flat=True)) | set(audiences):
        courses_by_givers.setdefault(frozenset(givers.get(course_id, ())), []).append(course_id)
    accounts = get_user_model().objects.all()
    for course_ids in courses_by_givers.values():
        in_audience = audiences.get(course_ids[0])
        enrollments = automatic.filter(course_id__in=course_ids)
        still_required = enrollments.filter(released_on__isnull=True)
        if in_audience is not None:
            # Both statements start from the few rows that can change, whatever the number of enrolments: the
            # accounts outside the audience, and the released enrolments (which an index of their own holds).
            still_required = still_required.filter(user__in=accounts.exclude(in_audience))
            released = Enrollment.objects.filter(released_on__isnull=False).values("pk")
            report.required_again += enrollments.filter(pk__in=released, user__in=accounts.filter(in_audience)).update(
                released_on=None
            )
        report.released += still_required.update(released_on=today)
    return report


def _lacking_some(profiles: QuerySet, course_ids: set[int]) -> Iterator[tuple[int, datetime.date | None]]:
    """(user id, hire date) of each of ``profiles`` not enrolled in every one of ``course_ids``.

    One pass over the enrolments in those courses finds who holds them all, rather than one pass per course.
    """
    if not course_ids:
        return iter(())
    holding_all = (
        Enrollment.objects.filter(course_id__in=course_ids)
        .order_by()
        .values("user_id")
        .annotate(held=Count("*"))
        .filter(held=len(course_ids))
        .values("user_id")
    )
    # Unordered: the profiles' default ordering would sort the whole audience for nothing.
    lacking = profiles.exclude(user_id__in=holding_all).order_by().values_list("user_id", "hire_date")
    return lacking.iterator(chunk_size=BATCH_SIZE)


def _enrol(course_id: int, newcomers: dict[int, tuple[datetime.date, AssignmentRule]], today: datetime.date) -> int:
    """Enrol ``newcomers`` (user id: due date, rule) in the course and open their first cycles."""
    if connection.vendor == "postgresql":
        return sum(_enrol_batch_postgresql(course_id, batch, today) for batch in batched(newcomers.items(), BATCH_SIZE))
    enrolled = 0
    user_ids = list(newcomers)
    for start in range(0, len(user_ids), BATCH_SIZE):
        batch = user_ids[start : start + BATCH_SIZE]
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    user_id=user_id, course_id=course_id, source=Enrollment.Source.AUTOMATIC, rule=newcomers[user_id][1]
                )
                for user_id in batch
            ],
            ignore_conflicts=True,
        )
        without_cycle = Enrollment.objects.filter(
            course_id=course_id, user_id__in=batch, cycles__isnull=True
        ).values_list("pk", "user_id")
        cycles = [
            Cycle(enrollment_id=enrollment_id, number=1, opened_on=today, due_on=newcomers[user_id][0])
            for enrollment_id, user_id in without_cycle
        ]
        Cycle.objects.bulk_create(cycles, ignore_conflicts=True)
        enrolled += len(cycles)
    return enrolled


def _enrol_batch_postgresql(
    course_id: int, newcomers: Iterable[tuple[int, tuple[datetime.date, AssignmentRule]]], today: datetime.date
) -> int:
    """:func:`_enrol` for a batch in one statement, which takes the batch as arrays (a statement with a parameter
    for each value costs more to plan than to run): the enrolments, then a first cycle for each of them that has
    none."""
    user_ids, due_dates, rule_ids = [], [], []
    for user_id, (due, rule) in newcomers:
        user_ids.append(user_id)
        due_dates.append(due)
        rule_ids.append(rule.pk)
    enrollment, cycle = Enrollment._meta.db_table, Cycle._meta.db_table
    # The new enrolments come from what the insert returns; one that existed without a cycle, from the table.
    without_cycle = (
        f"SELECT enrolled.id, newcomer.due_on FROM enrolled JOIN newcomer USING (user_id)"  # noqa: S608
        f" UNION ALL SELECT e.id, newcomer.due_on FROM {enrollment} e JOIN newcomer USING (user_id)"
        f" WHERE e.course_id = %s AND NOT EXISTS (SELECT 1 FROM {cycle} WHERE {cycle}.enrollment_id = e.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH newcomer (user_id, due_on, rule_id) AS"  # noqa: S608 - names come from the models
            f" (SELECT * FROM UNNEST(%s::integer[], %s::date[], %s::bigint[])),"
            f" enrolled AS (INSERT INTO {enrollment} (user_id, course_id, source, rule_id, enrolled_at, cycle)"
            f" SELECT user_id, %s, %s, rule_id, %s, 1 FROM newcomer ON CONFLICT DO NOTHING RETURNING id, user_id),"
            f" opened AS (INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on)"
            f" SELECT id, 1, FALSE, %s, due_on FROM ({without_cycle}) AS first_cycle"
            f" ON CONFLICT DO NOTHING RETURNING 1)"
            f" SELECT COUNT(*) FROM opened",
            [
                user_ids,
                due_dates,
                rule_ids,
                course_id,
                Enrollment.Source.AUTOMATIC.value,
                timezone.now(),
                today,
                course_id,
            ],
        )
        return cursor.fetchone()[0]


def _first_due_date(
    rule: AssignmentRule, due_after_days: int, hire_date: datetime.date | None, today: datetime.date
) -> datetime.date:
    start = hire_date if rule.due_from == AssignmentRule.DueFrom.HIRE_DATE and hire_date else today
    return start + datetime.timedelta(days=due_after_days)
