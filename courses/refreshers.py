"""Refresher cycles: how long a completion is valid, opening refresher cycles, and the daily sweep.

Contract:

* :func:`validity_for` gives a new completion its dates under the course's policy in force at the
  time. A completion recorded by the end of the previous one's grace period extends from the old
  expiry, so finishing a refresher early loses nobody any time; a later one starts from its own day.
* :func:`open_refresher_cycles` gives every enrolment whose refresher window has opened its next
  cycle: opened on the day the window opened (not the day the sweep ran, so the records are the
  same whenever the sweep runs), due on the old expiry. Set-based SQL in batches.
* :func:`run_sweep` is the daily sweep: it applies the assignment rules and opens refresher cycles
  (and queues again the tasks a worker died in: ``courses.task_recovery``).
  Overdue, in grace and expired follow from the dates on record (see
  ``EnrollmentQuerySet.with_status``), so nothing needs writing for them; the sweep counts who
  crossed those lines. It is safe to run any number of times, and at the same time: a second run
  writes nothing, and on PostgreSQL sweeps take turns behind an advisory lock.
* :func:`apply_current_policy` re-dates completions recorded under an older policy, when a trainer
  asks for it, and logs each change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.assignments import AssignmentReport, apply_assignment_rules
from courses.models import CourseCompletion, CoursePage, Cycle, Enrollment, Validity, ValidityChange
from courses.signals import sweep_finished
from courses.task_recovery import requeue_stale_tasks

#: Enrolments handled per statement when refresher cycles open.
BATCH_SIZE = 50_000
#: The key of the PostgreSQL advisory lock sweeps take turns behind.
SWEEP_LOCK = 0x7261_696E_696E67


def validity_for(enrollment: Enrollment, completed_on: datetime.date) -> Validity:
    """The dates a completion of ``enrollment``'s current cycle, made on ``completed_on``, is valid for."""
    policy = enrollment.course.refresher_policy
    previous = None
    if enrollment.cycle > 1:
        previous = (
            CourseCompletion.objects.filter(enrollment=enrollment, cycle__lt=enrollment.cycle)
            .order_by("-cycle")
            .first()
        )
    valid_from = completed_on
    if previous and previous.valid_until and completed_on <= previous.grace_until:
        valid_from = previous.valid_until + datetime.timedelta(days=1)
    return policy.validity(valid_from)


def open_refresher_cycles(today: datetime.date) -> int:
    """Open the next cycle of every enrolment whose refresher window has opened by ``today``; return how many."""
    open_batch = _open_batch_postgresql if connection.vendor == "postgresql" else _open_batch
    opened = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            moved = open_batch(cursor, today)
        opened += moved
        if moved < BATCH_SIZE:
            return opened


def _open_batch(cursor, today: datetime.date) -> int:
    """Open the next cycles of up to ``BATCH_SIZE`` enrolments whose windows have opened; return how many."""
    enrollment, cycle, completion = Enrollment._meta.db_table, Cycle._meta.db_table, CourseCompletion._meta.db_table
    due = f"{enrollment}.refresher_opens_on <= %s"
    batch = f"SELECT id FROM {enrollment} WHERE {due} ORDER BY id LIMIT {BATCH_SIZE}"  # noqa: S608
    cursor.execute(
        f"INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on)"  # noqa: S608
        f" SELECT {enrollment}.id, {enrollment}.cycle + 1, %s, {enrollment}.refresher_opens_on,"
        f" {completion}.valid_until"
        f" FROM {enrollment} JOIN {completion} ON {completion}.enrollment_id = {enrollment}.id"
        f" AND {completion}.cycle = {enrollment}.cycle"
        f" WHERE {enrollment}.id IN ({batch})"
        f" ON CONFLICT DO NOTHING",
        [True, today],
    )
    cursor.execute(
        f"UPDATE {enrollment} SET cycle = cycle + 1, refresher_opens_on = NULL WHERE id IN ({batch})",  # noqa: S608
        [today],
    )
    return cursor.rowcount


def _open_batch_postgresql(cursor, today: datetime.date) -> int:
    """:func:`_open_batch` in one statement: the batch is read once, moved on, and its cycles are inserted from
    what the update returns. Unordered, so that a long backlog is not sorted again for every batch; sweeps take
    turns, and learners lock one enrolment at a time, so the order rows are locked in cannot deadlock. The update
    asks again whether the window is open, so a row another transaction changed meanwhile is judged as it is now,
    and moves each enrolment on once: its new cycle cannot exist yet, so it is inserted plainly (skipping conflicts
    would cost a third more).
    """
    enrollment, cycle, completion = Enrollment._meta.db_table, Cycle._meta.db_table, CourseCompletion._meta.db_table
    cursor.execute(
        f"WITH due AS (SELECT id, refresher_opens_on FROM {enrollment} WHERE refresher_opens_on <= %s"  # noqa: S608
        f" LIMIT {BATCH_SIZE}),"
        f" moved AS (UPDATE {enrollment} SET cycle = {enrollment}.cycle + 1, refresher_opens_on = NULL FROM due"
        f" WHERE {enrollment}.id = due.id AND {enrollment}.refresher_opens_on <= %s"
        f" RETURNING {enrollment}.id, {enrollment}.cycle, due.refresher_opens_on),"
        f" opened AS (INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on)"
        f" SELECT moved.id, moved.cycle, TRUE, moved.refresher_opens_on, {completion}.valid_until FROM moved"
        f" JOIN {completion} ON {completion}.enrollment_id = moved.id AND {completion}.cycle = moved.cycle - 1)"
        f" SELECT COUNT(*) FROM moved",
        [today, today],
    )
    return cursor.fetchone()[0]


@dataclass
class SweepReport:
    day: datetime.date
    assignments: AssignmentReport = field(default_factory=AssignmentReport)
    refreshers_opened: int = 0
    fell_overdue: int = 0
    expired: int = 0
    tasks_requeued: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "enrolled": self.assignments.enrolled,
            "released": self.assignments.released,
            "required again": self.assignments.required_again,
            "refreshers opened": self.refreshers_opened,
            "fell overdue": self.fell_overdue,
            "expired": self.expired,
            "tasks queued again": self.tasks_requeued,
        }


def run_sweep(today: datetime.date | None = None) -> SweepReport:
    """The daily sweep: queue again the tasks a dead worker left, apply assignment rules, open refresher cycles,
    count who fell overdue or expired today."""
    today = today or timezone.localdate()
    report = SweepReport(today)
    report.tasks_requeued = requeue_stale_tasks()
    with _one_sweep_at_a_time():
        with transaction.atomic():
            report.assignments = apply_assignment_rules(today)
        report.refreshers_opened = open_refresher_cycles(today)
    yesterday = today - datetime.timedelta(days=1)
    report.fell_overdue = Cycle.objects.filter(number=1, due_on=yesterday, completed=False).count()
    later_completion = CourseCompletion.objects.filter(enrollment=OuterRef("enrollment"), cycle__gt=OuterRef("cycle"))
    report.expired = CourseCompletion.objects.filter(grace_until=yesterday).exclude(Exists(later_completion)).count()
    sweep_finished.send(sender=SweepReport, day=today)
    return report


@contextmanager
def _one_sweep_at_a_time() -> Iterator[None]:
    """On PostgreSQL, hold an advisory lock for the sweep; other databases let one writer in at a time anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SWEEP_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])


def completions_to_redate(course: CoursePage) -> list[tuple[CourseCompletion, Validity]]:
    """Each enrolment's latest completion of ``course`` whose dates its current policy would change, with the
    new dates. A completion keeps the day its validity runs from."""
    policy = CoursePage.objects.get(pk=course.canonical_id).refresher_policy
    later = CourseCompletion.objects.filter(enrollment=OuterRef("enrollment"), cycle__gt=OuterRef("cycle"))
    latest = (
        CourseCompletion.objects.filter(enrollment__course_id=course.canonical_id)
        .exclude(Exists(later))
        .select_related("enrollment__user")
    )
    changes = []
    for completion in latest.iterator(chunk_size=2000):
        validity = policy.validity(completion.valid_from or timezone.localdate(completion.completed_at))
        if (validity.until, validity.grace_until) != (completion.valid_until, completion.grace_until):
            changes.append((completion, validity))
    return changes


def apply_current_policy(course: CoursePage, changed_by) -> int:
    """Re-date each enrolment's latest completion of ``course`` under its current policy; return how many changed.

    An open refresher cycle falls due on the new expiry. Every change is logged as a :class:`ValidityChange`.
    """
    changed = 0
    with transaction.atomic():
        for completion, validity in completions_to_redate(course):
            ValidityChange.objects.create(
                completion=completion,
                previous_until=completion.valid_until,
                new_until=validity.until,
                changed_by=changed_by,
            )
            completion.set_validity(validity)
            completion.save(update_fields=["valid_from", "valid_until", "refresher_opens_on", "grace_until"])
            enrollment = completion.enrollment
            if enrollment.cycle == completion.cycle:
                Enrollment.objects.filter(pk=enrollment.pk).update(refresher_opens_on=validity.refresher_opens_on)
            else:
                Cycle.objects.filter(enrollment=enrollment, number=enrollment.cycle).update(due_on=validity.until)
            changed += 1
    return changed
