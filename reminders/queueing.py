"""Queueing reminders after the daily sweep.

Contract: :func:`queue_reminders` writes the reminder rows for ``day``, set-based: for each schedule in use (the
default and each course's own) one ``INSERT ... SELECT`` for all the learner's steps and one for each step to a
manager:

* Only cycles in progress are reminded of: the enrolment's current cycle, not yet completed (``Cycle.completed``,
  set with its completion), with a due date, of an enrolment the learner must keep valid on ``day``
  (``Enrollment.objects.required``: not self-enrolled, not released by its rule, active account). A refresher
  cycle reminds against its own due date.
* A step is queued on the first sweep inside its window (see :class:`reminders.schedule.Step`), to the learner,
  their manager or their manager's manager (active accounts only).
* Each manager with staff under them gets one digest row per week (the week starts on the digest weekday).
* Rows queued before are left out of each select (an index probe each, cheaper than a conflict): running it again
  queues nothing twice. On PostgreSQL queueings take turns behind an advisory lock held to the end of their
  transaction, so a second sweep at the same time finds what the first queued, and the rows are inserted plainly;
  elsewhere (SQLite lets one writer in at a time) an insert skips any row that exists. The unique constraints on
  :class:`~reminders.models.Reminder` guard both.

Whether a row still applies is checked again when it is sent (``reminders.sending``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models import fields as model_fields
from django.db.models.functions import Cast
from django.utils import timezone

from courses.models import Cycle, StaffProfile, required_on
from reminders.conf import get_setting
from reminders.models import Reminder, ReminderSchedule
from reminders.schedule import Audience, Kind, Schedule, Step

#: The key of the PostgreSQL advisory lock queueings take turns behind.
QUEUE_LOCK = 0x7265_6D69_6E64_6572
#: The recipient of each audience, reached from a cycle.
RECIPIENT = {
    Audience.LEARNER: "enrollment__user",
    Audience.MANAGER: "enrollment__user__staff_profile__manager",
    Audience.MANAGERS_MANAGER: "enrollment__user__staff_profile__manager__staff_profile__manager",
}


@dataclass
class QueueReport:
    day: datetime.date
    reminders: int = 0
    digests: int = 0


def queue_reminders(day: datetime.date) -> QueueReport:
    """Queue the reminders and digests due on ``day``; return how many rows were new."""
    report = QueueReport(day)
    now = timezone.now()
    overrides = {row.course_id: row.schedule() for row in ReminderSchedule.objects.all()}
    cycles = cycles_in_progress(day)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Queueings take turns, until the end of the transaction: each statement after the lock sees what
                # the queueing before queued (read committed, Django's default), so rows go in plainly (see _insert).
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [QUEUE_LOCK])
                # Each statement reads many rows once: compiling it to machine code (PostgreSQL's JIT, which the
                # planner turns on for any query it thinks costly) takes longer than it saves.
                cursor.execute("SET LOCAL jit = off")
        default = Schedule.from_setting(get_setting("REMINDER_SCHEDULE"))
        groups = [(default, cycles.exclude(enrollment__course_id__in=list(overrides)))]
        groups += [
            (schedule, cycles.filter(enrollment__course_id=course_id)) for course_id, schedule in overrides.items()
        ]
        for schedule, group in groups:
            steps = schedule.steps()
            learner_steps = [step for step in steps if step.audience == Audience.LEARNER]
            report.reminders += _insert(_rows_for_learner_steps(group, learner_steps, day, now))
            for step in steps:
                if step.audience != Audience.LEARNER:
                    report.reminders += _insert(_rows_for_step(group, step, day, now))
        # Once a week's digests are queued, a later sweep that week has none to add (a manager new that week
        # gets theirs the next).
        if not Reminder.objects.filter(cycle=None, step=digest_step(day)).exists():
            report.digests = _insert(_digest_rows(day, now))
    return report


def cycles_in_progress(day: datetime.date) -> QuerySet[Cycle]:
    """Current, incomplete cycles with a due date, of enrolments required on ``day``."""
    # The cycle's own mark, which an index of the open cycles by due date holds: the cycles due in a window are
    # read without the completed ones, and without looking up a completion for each.
    return Cycle.objects.filter(
        required_on(day, through="enrollment__"),
        completed=False,
        enrollment__cycle=F("number"),
        due_on__isnull=False,
    ).order_by()


def _due_range(step: Step, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The due dates ``step`` is current for on ``day``: from ``day - offset - window`` (exclusive) to
    ``day - offset``."""
    latest_due = day - datetime.timedelta(days=step.offset)
    return latest_due - datetime.timedelta(days=step.window - 1), latest_due


def _rows_for_learner_steps(
    cycles: QuerySet[Cycle], steps: list[Step], day: datetime.date, now: datetime.datetime
) -> QuerySet:
    """The learner's reminder rows on ``day`` not queued yet, for all of ``steps`` in one pass over the cycles: the
    learner's steps do not overlap, so each cycle is in the window of one step at most."""
    ranges = [(step, _due_range(step, day)) for step in steps]
    # The learner's account is active: cycles_in_progress asks that of every enrolment it keeps.
    rows = cycles.filter(Q.create([("due_on__range", due) for _step, due in ranges], connector=Q.OR)).annotate(
        current_step=Case(*[When(due_on__range=due, then=Value(step.name)) for step, due in ranges]),
        current_kind=Case(*[When(due_on__range=due, then=Value(step.kind.value)) for step, due in ranges]),
    )
    # A cycle has one learner, so the cycle and the step find a row queued before. The OR makes it a probe of
    # the reminders' index for each cycle, not a pass over every reminder ever queued.
    queued = Reminder.objects.filter(cycle=OuterRef("pk"), step=OuterRef("current_step"))
    return rows.filter(~Exists(queued) | Q(due_on__isnull=True)).values(
        r_cycle=F("pk"),
        r_step=F("current_step"),
        r_kind=F("current_kind"),
        r_recipient=F("enrollment__user__pk"),
        r_due_on=F("due_on"),
        **_common_columns(day, now),
    )


def _rows_for_step(cycles: QuerySet[Cycle], step: Step, day: datetime.date, now: datetime.datetime) -> QuerySet:
    """The reminder rows ``step`` gives on ``day`` not queued yet, as the columns of the reminders table."""
    recipient = RECIPIENT[step.audience]
    queued = Reminder.objects.filter(cycle=OuterRef("pk"), step=step.name, recipient=OuterRef(recipient))
    # "Has one" first: the profiles that name a manager are found through the index of managers, so that where
    # few do, the statement reads few of them.
    rows = cycles.filter(
        due_on__range=_due_range(step, day), **{f"{recipient}__isnull": False, f"{recipient}__is_active": True}
    )
    return rows.filter(~Exists(queued) | Q(due_on__isnull=True)).values(
        r_cycle=F("pk"),
        r_step=Value(step.name),
        r_kind=Value(step.kind.value),
        r_recipient=F(f"{recipient}__pk"),
        r_due_on=F("due_on"),
        **_common_columns(day, now),
    )


def _common_columns(day: datetime.date, now: datetime.datetime) -> dict:
    return {
        "r_send_on": Value(day, output_field=model_fields.DateField()),
        "r_state": Value(Reminder.State.QUEUED.value),
        "r_attempts": Value(0),
        "r_last_error": Value(""),
        "r_next_attempt_at": Value(now, output_field=model_fields.DateTimeField()),
        "r_created_at": Value(now, output_field=model_fields.DateTimeField()),
    }


def digest_week(day: datetime.date) -> datetime.date:
    """The first day of the digest week ``day`` falls in."""
    return day - datetime.timedelta(days=(day.weekday() - get_setting("REMINDER_DIGEST_WEEKDAY")) % 7)


def digest_step(day: datetime.date) -> str:
    return f"digest-{digest_week(day).isoformat()}"


def _digest_rows(day: datetime.date, now: datetime.datetime) -> QuerySet:
    """One digest row for the week of ``day`` per active manager of active staff."""
    # From the profiles that name a manager (the index of managers holds them), not from every account.
    managed = StaffProfile.objects.filter(manager__isnull=False, user__is_active=True).values("manager")
    managers = get_user_model().objects.filter(pk__in=managed, is_active=True).order_by()
    return managers.values(
        r_cycle=Cast(Value(None), model_fields.BigIntegerField()),
        r_step=Value(digest_step(day)),
        r_kind=Value(Kind.DIGEST.value),
        r_recipient=F("pk"),
        r_due_on=Cast(Value(None), model_fields.DateField()),
        **_common_columns(day, now),
    )


#: The reminders table's columns, in the order ``_rows_for_step`` and ``_digest_rows`` select them.
INSERT_COLUMNS = [
    "cycle_id",
    "step",
    "kind",
    "recipient_id",
    "due_on",
    "send_on",
    "state",
    "attempts",
    "last_error",
    "next_attempt_at",
    "created_at",
]


def _insert(rows: QuerySet) -> int:
    """Insert ``rows`` (which leave out the rows queued before) into the reminders table; return how many."""
    select, params = rows.query.sql_with_params()
    table = Reminder._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)})"  # noqa: S608 - names come from the models
        f" SELECT * FROM ({select}) AS new_rows"
    )
    if connection.vendor != "postgresql":
        # PostgreSQL's queueings take turns behind a lock, so nothing can conflict, and a plain insert costs a
        # third less than one that skips conflicts. Elsewhere conflicting rows are skipped; the trailing WHERE
        # lets SQLite tell the upsert clause from a join.
        sql += " WHERE true ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
