"""Timings of the daily sweep on a large organisation, and the dashboard's query count with a long history.

    python bench/sweep.py               # 200,000 enrolments on SQLite, 1,000,000 on PostgreSQL (DATABASE_URL)
    python bench/sweep.py --size 50000  # another size
    python bench/sweep.py --small       # 2,000 enrolments: the size `make test` runs

The organisation: 8 courses (a year's validity, the refresher window opening 30 days before expiry,
14 days' grace) and one assignment rule, "everyone", that holds all 8, so that applying the rules
checks every enrolment. Staff and enrolments are written with set-based inserts. On the sweep day:

* 8% of enrolments have a completion whose refresher window opens that day;
* 3% have a first cycle that fell due the day before, not completed (they fall overdue);
* 10% have a first cycle not yet due; 10% are in a refresher cycle opened earlier (1% of them
  expire that day); the other 69% hold a completion whose window opens within the next year;
* 0.1% of the staff have been deactivated (their enrolments are released), and a few new hires
  have no enrolments yet (the rule enrols them);
* yesterday's sweep ran: what listens for a finished sweep (queueing reminders) has run for yesterday.

Timed: the day's sweep; the same sweep again, which must write nothing (rows written are counted by
the database: SQLite's total_changes(), PostgreSQL's table statistics, and the tables' contents are
compared); and the sweep a year later with nothing swept in between (every window of the 69% opened
in that year). Then the dashboard's queries for a learner with one course and one with 12 courses,
each with 5 past cycles: they must be equal.
Runs on a throwaway test database: an SQLite file (under /dev/shm where there is one), or PostgreSQL when
DATABASE_URL is set.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import (  # noqa: E402
    AssignmentRule,
    AssignmentRuleCourse,
    CourseCompletion,
    Cycle,
    Enrollment,
    Renewal,
    StaffProfile,
)
from courses.refreshers import SweepReport, run_sweep  # noqa: E402
from courses.signals import sweep_finished  # noqa: E402
from courses.testing import make_course, make_lesson, make_past_cycles, make_training_site, make_user  # noqa: E402

COURSES = 8
#: Goals from the issue: (seconds for the day, for the rerun, for the year's backlog) at a number of enrolments.
GOALS = {"postgresql": (1_000_000, 3.0, 1.0, 20.0), "sqlite": (200_000, 1.0, None, None)}
SMALL = 2_000

# Each enrolment's share of the organisation, by its number modulo 100.
OPENS_TODAY = range(0, 8)
FALLS_OVERDUE = range(8, 11)
NOT_DUE_YET = range(11, 21)
EXPIRES_TODAY = range(21, 22)
IN_REFRESHER = range(22, 31)
VALID = range(31, 100)
#: One member of staff in this many has been deactivated.
DEACTIVATED_ONE_IN = 1000
#: One new hire, not enrolled yet, for this many members of staff.
NEW_HIRE_PER = 200


class Sql:
    """The few SQL fragments that differ between SQLite and PostgreSQL."""

    def __init__(self, today: datetime.date):
        self.postgres = connection.vendor == "postgresql"
        self.today = today.isoformat()

    def series(self, count: int) -> str:
        """A CTE ``s(e)`` of the integers 0 .. count - 1."""
        if self.postgres:
            return f"WITH s(e) AS (SELECT generate_series(0, {count - 1}))"
        return f"WITH RECURSIVE s(e) AS (SELECT 0 UNION ALL SELECT e + 1 FROM s WHERE e < {count - 1})"  # noqa: S608

    def day(self, offset: str) -> str:
        """The day ``offset`` (an integer expression) days after the sweep day."""
        if self.postgres:
            return f"(DATE '{self.today}' + ({offset}))"
        return f"date('{self.today}', ({offset}) || ' days')"

    def moment(self, offset: str) -> str:
        """Ten past seven (UTC) on the day ``offset`` days after the sweep day."""
        if self.postgres:
            return f"(DATE '{self.today}' + ({offset}) + TIME '07:10')"
        return f"datetime('{self.today}', ({offset}) || ' days', '+7 hours', '+10 minutes')"


def insert(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def build_organisation(index, size: int, today: datetime.date) -> dict[str, int]:
    """Courses, the "everyone" rule, staff and ``size`` enrolments with their histories; return what the day's
    sweep must find."""
    courses = [
        make_course(
            index,
            f"Course {number}",
            renewal=Renewal.EVERY_N_MONTHS,
            renew_every_months=12,
            refresher_window_days=30,
            grace_days=14,
        )
        for number in range(COURSES)
    ]
    rule = AssignmentRule.objects.create(
        name="Everyone", audience=AssignmentRule.Audience.EVERYONE, due_from=AssignmentRule.DueFrom.HIRE_DATE
    )
    for position, course in enumerate(courses):
        AssignmentRuleCourse.objects.create(rule=rule, course=course, sort_order=position, due_after_days=30)

    sql = Sql(today)
    staff = size // COURSES
    new_hires = max(1, staff // NEW_HIRE_PER)
    first_user = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    user, profile = User._meta.db_table, StaffProfile._meta.db_table
    enrollment, cycle, completion = Enrollment._meta.db_table, Cycle._meta.db_table, CourseCompletion._meta.db_table
    true, false = ("TRUE", "FALSE") if sql.postgres else ("1", "0")

    insert(
        f"{sql.series(staff + new_hires)} INSERT INTO {user} (id, password, is_superuser, username, first_name,"  # noqa: S608
        f" last_name, email, is_staff, is_active, date_joined)"
        f" SELECT {first_user} + e, '!', {false}, 'staff' || e, '', '', '', {false},"
        f" CASE WHEN e % {DEACTIVATED_ONE_IN} = {DEACTIVATED_ONE_IN - 1} AND e < {staff} THEN {false} ELSE {true} END,"
        f" {sql.moment('-1000')} FROM s"
    )
    insert(
        f"{sql.series(staff + new_hires)} INSERT INTO {profile} (user_id, hire_date, department,"  # noqa: S608
        f" preferred_language, persian_name)"
        f" SELECT {first_user} + e, CASE WHEN e < {staff} THEN {sql.day('-400 - e % 2000')} ELSE {sql.day('-3')} END,"
        f" 'Department ' || (e % 20), '', '' FROM s"
    )
    course_of = "CASE e % 8 " + " ".join(f"WHEN {n} THEN {c.pk}" for n, c in enumerate(courses)) + " END"
    bucket = "e % 100"

    def among(shares: range) -> str:
        return f"{bucket} BETWEEN {shares.start} AND {shares.stop - 1}"

    completed = f"NOT ({among(FALLS_OVERDUE)} OR {among(NOT_DUE_YET)})"
    in_refresher = f"{bucket} BETWEEN {EXPIRES_TODAY.start} AND {IN_REFRESHER.stop - 1}"
    # The last day the (first) completion is valid, as days after the sweep day.
    valid_until = (
        f"CASE WHEN {among(OPENS_TODAY)} THEN 30 WHEN {among(EXPIRES_TODAY)} THEN -15"
        f" WHEN {among(IN_REFRESHER)} THEN e % 29 ELSE 31 + e % 365 END"
    )
    insert(
        f"{sql.series(size)} INSERT INTO {enrollment} (id, user_id, course_id, source, rule_id, enrolled_at, cycle,"  # noqa: S608
        f" refresher_opens_on)"
        f" SELECT e + 1, {first_user} + e / 8, {course_of}, 'automatic', {rule.pk}, {sql.moment('-800')},"
        f" CASE WHEN {in_refresher} THEN 2 ELSE 1 END,"
        f" CASE WHEN {completed} AND NOT ({in_refresher}) THEN {sql.day(f'{valid_until} - 30')} END FROM s"
    )
    # First cycles: the overdue ones fell due yesterday, the ones not due yet fall due within 30 days; the
    # others were completed on the day their validity began, 364 days before it ends (and are marked so).
    insert(
        f"{sql.series(size)} INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on, completed)"  # noqa: S608
        f" SELECT e + 1, 1, {false},"
        f" CASE WHEN {among(FALLS_OVERDUE)} THEN {sql.day('-31')} WHEN {among(NOT_DUE_YET)} THEN {sql.day('-(e % 30)')}"
        f" ELSE {sql.day(f'{valid_until} - 394')} END,"
        f" CASE WHEN {among(FALLS_OVERDUE)} THEN {sql.day('-1')}"
        f" WHEN {among(NOT_DUE_YET)} THEN {sql.day('30 - e % 30')}"
        f" ELSE {sql.day(f'{valid_until} - 364')} END,"
        f" CASE WHEN {completed} THEN {true} ELSE {false} END FROM s"
    )
    insert(
        f"{sql.series(size)} INSERT INTO {completion} (enrollment_id, cycle, completed_at, valid_from, valid_until,"  # noqa: S608
        f" refresher_opens_on, grace_until)"
        f" SELECT e + 1, 1, {sql.moment(f'{valid_until} - 364')}, {sql.day(f'{valid_until} - 364')},"
        f" {sql.day(valid_until)}, {sql.day(f'{valid_until} - 30')}, {sql.day(f'{valid_until} + 14')}"
        f" FROM s WHERE {completed}"
    )
    insert(
        f"{sql.series(size)} INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on)"  # noqa: S608
        f" SELECT e + 1, 2, {true}, {sql.day(f'{valid_until} - 30')}, {sql.day(valid_until)}"
        f" FROM s WHERE {in_refresher}"
    )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [User, StaffProfile, Enrollment, Cycle]):
            cursor.execute(statement)
        if sql.postgres:
            for table in (user, profile, enrollment, cycle, completion):
                cursor.execute(f"VACUUM ANALYZE {table}")

    def count(shares: range) -> int:
        return sum(1 for e in range(size) if e % 100 in shares)

    deactivated = sum(1 for e in range(staff) if e % DEACTIVATED_ONE_IN == DEACTIVATED_ONE_IN - 1)
    return {
        "refreshers_opened": count(OPENS_TODAY),
        "fell_overdue": count(FALLS_OVERDUE),
        "expired": count(EXPIRES_TODAY),
        "enrolled": new_hires * COURSES,
        "released": deactivated * COURSES,
        "backlog": count(VALID),
    }


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection (SQLite) or in this database (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT total_changes()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT SUM(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables")
        return int(cursor.fetchone()[0] or 0)


def fingerprint() -> tuple:
    """Counts and sums over the tables the sweep writes, to see that a run changed nothing."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(cycle), COUNT(refresher_opens_on), COUNT(released_on), MAX(id)"  # noqa: S608
            f" FROM {Enrollment._meta.db_table}"
        )
        enrollments = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*), SUM(number), MAX(id) FROM {Cycle._meta.db_table}")  # noqa: S608
        return enrollments + cursor.fetchone()


def cpu_seconds() -> float | None:
    """CPU time used so far by this process and, on PostgreSQL on this machine, by its server process: the work
    done, whatever else the machine runs meanwhile. None when the server is elsewhere."""
    seconds = time.process_time()
    if connection.vendor != "postgresql":
        return seconds
    if connection.settings_dict["HOST"] not in ("", "localhost", "127.0.0.1", "::1"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        # /proc/PID/stat: after the command name in brackets come the state (field 3) .. utime (14), stime (15).
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return seconds + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_sweep(day: datetime.date):
    """Run the sweep for ``day``; return its report, the seconds it took and the CPU seconds it used."""
    cpu, start = cpu_seconds(), time.perf_counter()
    report = run_sweep(day)
    wall, cpu_after = time.perf_counter() - start, cpu_seconds()
    return report, wall, None if cpu is None or cpu_after is None else cpu_after - cpu


def dashboard_queries(courses, username: str, count: int) -> int:
    """The dashboard's queries for a learner enrolled in ``count`` courses, each with 5 past cycles and a sixth open."""
    learner = make_user(username)
    make_past_cycles(learner, courses[:count], 5)
    client = Client()
    client.force_login(learner)
    client.get("/my-training/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/my-training/")
    if response.status_code != 200:
        raise RuntimeError(f"The dashboard answered {response.status_code}")
    return len(queries)


def measure_dashboard(index) -> tuple[int, int]:
    courses = [make_course(index, f"History {number}") for number in range(12)]
    for course in courses:
        make_lesson(course, f"Lesson of {course.title}")
    return dashboard_queries(courses, "one-course", 1), dashboard_queries(courses, "twelve-courses", 12)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, help="enrolments (default 1,000,000 on PostgreSQL, 200,000 on SQLite)")
    parser.add_argument("--small", action="store_true", help=f"{SMALL:,} enrolments: the size `make test` runs")
    args = parser.parse_args()
    vendor = connection.vendor
    goal_size, day_goal, rerun_goal, backlog_goal = GOALS[vendor]
    size = SMALL if args.small else args.size or goal_size

    setup_test_environment()
    # As in production, the sweep's follow-up work (sending reminders) is queued for a worker, not run here.
    override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}).enable()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["MIGRATE"] = False
    # In memory when the machine allows, like the PostgreSQL server scripts/with-postgres starts without fsync:
    # the figures are the database's work, not the disk's.
    workdir = tempfile.TemporaryDirectory(prefix="sweep-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None)  # noqa: S108
    if vendor == "sqlite":
        database["TEST"]["NAME"] = str(Path(workdir.name) / "bench.sqlite3")
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failures = []
    try:
        today = timezone.localdate()
        load = os.getloadavg()
        index = make_training_site()
        start = time.perf_counter()
        expected = build_organisation(index, size, today)
        # Yesterday's sweep ran: what follows a sweep (queueing that day's reminders) is done for yesterday, so
        # that the day's sweep does the day's work and not every earlier day's.
        sweep_finished.send(sender=SweepReport, day=today - datetime.timedelta(days=1))
        build_seconds = time.perf_counter() - start

        day_report, *day_seconds = timed_sweep(today)
        before, state = rows_written(), fingerprint()
        rerun_report, *rerun_seconds = timed_sweep(today)
        rerun_writes = rows_written() - before
        if fingerprint() != state:
            failures.append("the rerun changed the tables")
        backlog_report, *backlog_seconds = timed_sweep(today + datetime.timedelta(days=365))
        one, twelve = measure_dashboard(index)
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
        workdir.cleanup()

    found = {
        "refreshers_opened": day_report.refreshers_opened,
        "fell_overdue": day_report.fell_overdue,
        "expired": day_report.expired,
        "enrolled": day_report.assignments.enrolled,
        "released": day_report.assignments.released,
        "backlog": backlog_report.refreshers_opened,
    }
    for what, number in expected.items():
        if found[what] != number:
            failures.append(f"{what}: {found[what]}, expected {number}")
    if rerun_report.refreshers_opened or rerun_report.assignments.enrolled or rerun_report.assignments.released:
        failures.append("the rerun reported work")
    if rerun_writes:
        failures.append(f"the rerun wrote {rerun_writes} rows")
    if one != twelve:
        failures.append(f"the dashboard costs {one} queries with one course and {twelve} with twelve")

    within = size <= goal_size
    print(f"Database: {vendor}; {size:,} enrolments of {size // COURSES:,} staff in {COURSES} courses.")
    print(f"Built in {build_seconds:.1f} s. Load average before and after: {load[0]:.1f}, {os.getloadavg()[0]:.1f}.")
    print(f"{'measure':<44} {'seconds':>8} {'CPU s':>8} {'goal':>6}")
    rows = [
        (f"day's sweep ({found['refreshers_opened']:,} windows)", day_seconds, day_goal),
        ("no-op rerun", rerun_seconds, rerun_goal),
        (f"year's backlog ({found['backlog']:,} windows)", backlog_seconds, backlog_goal),
    ]
    for label, (wall, cpu), goal in rows:
        cpu_shown = "-" if cpu is None else f"{cpu:.3f}"
        print(f"{label:<44} {wall:>8.3f} {cpu_shown:>8} {'-' if goal is None else goal:>6}")
        if goal is not None and within and wall > goal:
            failures.append(f"{label}: over the goal of {goal} s")
    print(f"{'rows the rerun wrote':<44} {rerun_writes:>8} {'':>8} {0:>6}")
    print(f"{'dashboard queries, 1 course x 6 cycles':<44} {one:>8}")
    print(f"{'dashboard queries, 12 courses x 6 cycles':<44} {twelve:>8} {'':>8} {one:>6}")
    print(
        f"Day: {found['enrolled']:,} enrolled, {found['fell_overdue']:,} fell overdue,"
        f" {found['expired']:,} expired, {found['released']:,} released."
    )
    if failures:
        print("Failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
