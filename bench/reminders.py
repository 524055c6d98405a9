"""Reminders at scale: queueing them in the daily sweep, and sending them through two task workers.

    python bench/reminders.py            # 1,000,000 enrolments (PostgreSQL via DATABASE_URL; SQLite: 200,000)
                                         # and 10,000 emails
    python bench/reminders.py --small    # 2,000 enrolments and 200 emails: the size `make test` runs

Queueing: 4 courses and a quarter as many staff as enrolments (every 20th the manager of the next 19).
Each enrolment has one cycle due on a day spread evenly over a year either side of the sweep day; 85%
of them are completed (valid a year, the refresher window opening 30 days before expiry), the other 15%
are open or overdue. The sweep of the day before runs first, untimed, so the day's sweep does a day's
work: timed, the day's sweep with its reminders queued (and the queueing step alone), then the same
sweep again, which must queue nothing.

Sending: as many learners as emails, half reading Persian, each with one reminder queued; two
``manage.py db_worker`` processes each run the sending task against an SMTP server (aiosmtpd) on
loopback, and the time from starting the workers to the last message received gives messages per second.

Runs on a throwaway test database: an SQLite file, or PostgreSQL when DATABASE_URL is set.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

#: Goals, in seconds.
GOALS = {"sweep": 3.0, "rerun": 1.0, "sending": 60.0}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="2,000 enrolments and 200 emails")
    parser.add_argument("--enrolments", type=int, help="enrolments for the queueing benchmark")
    parser.add_argument("--emails", type=int, default=10_000, help="emails for the sending benchmark")
    # A worker process, started by the sending benchmark.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smtp-port", type=int, default=25, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    return parser.parse_args()


ARGUMENTS = parse_arguments()

from django.conf import settings  # noqa: E402

# Before Django starts: the database task queue, SMTP on loopback, and for a worker the benchmark's database.
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
settings.MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": ARGUMENTS.smtp_port, "timeout": 10},
    }
}
if ARGUMENTS.database:
    settings.DATABASES["default"]["NAME"] = ARGUMENTS.database
settings.LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import CourseCompletion, Cycle, Enrollment, Renewal, StaffProfile  # noqa: E402
from courses.refreshers import run_sweep  # noqa: E402
from courses.testing import make_course, make_training_site  # noqa: E402
from reminders.models import Reminder  # noqa: E402
from reminders.queueing import queue_reminders  # noqa: E402
from reminders.tasks import send_reminders  # noqa: E402
from reminders.testing import Mailbox, start_server  # noqa: E402


def series(count: int) -> tuple[str, str]:
    """A ``WITH`` clause and a table name giving the numbers 1..count in a column ``i``."""
    if connection.vendor == "postgresql":
        return "", f"generate_series(1, {count}) AS s(i)"
    return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {count}) ", "s"  # noqa: S608


def build_staff(count: int) -> int:
    """``count`` active staff (every 20th the manager of the next 19); return the first one's id."""
    with_clause, numbers = series(count)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"{with_clause}INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"  # noqa: S608
            f" is_staff, is_active, date_joined)"
            f" SELECT '!', %s, 'staff' || i, 'Staff', 'No. ' || i, 'staff' || i || '@example.com', %s, %s, %s"
            f" FROM {numbers}",
            [False, False, True, now],
        )
        cursor.execute("SELECT MIN(id) FROM auth_user WHERE username LIKE %s", ["staff%"])
        first = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {StaffProfile._meta.db_table} (user_id, hire_date, department, manager_id,"  # noqa: S608
            f" preferred_language, persian_name)"
            f" SELECT id, %s, 'Bench', CASE WHEN (id - %s) %% 20 = 0 THEN NULL ELSE %s + ((id - %s) / 20) * 20 END,"
            f" CASE WHEN id %% 2 = 0 THEN 'fa' ELSE 'en' END, '' FROM auth_user WHERE username LIKE 'staff%%'",
            [now.date() - datetime.timedelta(days=1000), first, first, first],
        )
    return first


def build_enrolments(course_ids: list[int], today: datetime.date) -> None:
    """One enrolment per member of staff and course, its cycle due within a year of ``today``; 85% completed."""
    enrollment, cycle, completion = Enrollment._meta.db_table, Cycle._meta.db_table, CourseCompletion._meta.db_table
    enrolled_at = timezone.now() - datetime.timedelta(days=800)
    courses = " UNION ALL ".join(f"SELECT {int(pk)} AS id" for pk in course_ids)
    # The due date: a day within 365 days either side of today, spread by a multiplicative hash of the id.
    offset = "((e.id * 7919) %% 730) - 365"
    if connection.vendor == "postgresql":
        due = f"(%s::date + ({offset})::int)"
        add = "{} + {}"
    else:
        due = f"date(%s, ({offset}) || ' days')"
        add = "date({}, ({}) || ' days')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {enrollment} (user_id, course_id, source, enrolled_at, cycle)"  # noqa: S608
            f" SELECT u.id, c.id, 'assigned', %s, 1 FROM auth_user u CROSS JOIN ({courses}) c"
            f" WHERE u.username LIKE 'staff%%'",
            [enrolled_at],
        )
        cursor.execute(
            f"INSERT INTO {cycle} (enrollment_id, number, is_refresher, opened_on, due_on)"  # noqa: S608
            f" SELECT e.id, 1, %s, {add.format(due, '-60')}, {due} FROM {enrollment} e",
            [False, today, today],
        )
        cursor.execute(
            f"INSERT INTO {completion} (enrollment_id, cycle, completed_at, valid_from, valid_until,"  # noqa: S608
            f" refresher_opens_on, grace_until)"
            f" SELECT c.enrollment_id, 1, %s, {add.format('c.due_on', '-10')}, {add.format('c.due_on', '355')},"
            f" {add.format('c.due_on', '325')}, {add.format('c.due_on', '369')}"
            f" FROM {cycle} c WHERE c.enrollment_id %% 100 < 85",
            [enrolled_at],
        )
        cursor.execute(
            f"UPDATE {enrollment} SET refresher_opens_on = (SELECT refresher_opens_on FROM {completion} k"  # noqa: S608
            f" WHERE k.enrollment_id = {enrollment}.id) WHERE id %% 100 < 85",
            [],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE", [])


def make_courses(count: int) -> list[int]:
    index = make_training_site()
    return [
        make_course(index, f"Course {number}", renewal=Renewal.EVERY_N_MONTHS, renew_every_months=12).pk
        for number in range(count)
    ]


def bench_queueing(enrolments: int) -> dict[str, float]:
    today = datetime.date(2026, 12, 1)
    course_ids = make_courses(4)
    started = time.perf_counter()
    build_staff(enrolments // 4)
    build_enrolments(course_ids, today)
    print(f"Built {enrolments:,} enrolments in {time.perf_counter() - started:.1f} s ({connection.vendor}).")

    run_sweep(today - datetime.timedelta(days=1))
    queued_before = Reminder.objects.count()
    started = time.perf_counter()
    run_sweep(today)
    sweep = time.perf_counter() - started
    queued = Reminder.objects.count() - queued_before
    started = time.perf_counter()
    rerun_report = run_sweep(today)
    rerun = time.perf_counter() - started
    assert Reminder.objects.count() == queued_before + queued, "the rerun queued something"
    started = time.perf_counter()
    again = queue_reminders(today)
    queueing_alone = time.perf_counter() - started
    assert again.reminders == again.digests == 0
    print(f"The day's sweep, queueing {queued:,} reminders and digests: {sweep:.2f} s (goal < {GOALS['sweep']} s)")
    print(
        f"The same sweep again, queueing nothing: {rerun:.2f} s (goal < {GOALS['rerun']} s);"
        f" its queueing step alone: {queueing_alone:.2f} s; refreshers opened: {rerun_report.refreshers_opened}"
    )
    return {"sweep": sweep, "rerun": rerun}


def bench_sending(emails: int, database_name: str, workers: int = 2) -> dict[str, float]:
    mailbox = Mailbox()
    controller = start_server(mailbox)
    today = timezone.localdate()
    course_ids = make_courses(1)
    first = build_staff(emails)
    # Every member of staff a learner (no managers: one message each), due in 30 days.
    StaffProfile.objects.update(manager=None)
    Enrollment.objects.bulk_create(
        Enrollment(user_id=user_id, course_id=course_ids[0], source="assigned")
        for user_id in range(first, first + emails)
    )
    Cycle.objects.bulk_create(
        Cycle(enrollment=enrollment, number=1, opened_on=today, due_on=today + datetime.timedelta(days=30))
        for enrollment in Enrollment.objects.all()
    )
    assert queue_reminders(today).reminders == emails
    for _worker in range(workers):
        send_reminders.enqueue()
    connection.close()

    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [sys.executable, __file__, "--worker", "--smtp-port", str(controller.port), "--database", database_name]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, env=environment) for _worker in range(workers)]
    try:
        for process in processes:
            process.wait(timeout=600)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    elapsed = time.perf_counter() - started
    controller.stop()
    received = len(mailbox.received)
    sent = Reminder.objects.filter(state=Reminder.State.SENT).count()
    reminder_ids = {re.search(rb"X-Training-Reminder: (\d+)", content)[1] for _to, content in mailbox.received}
    duplicates = received - len(reminder_ids)
    print(
        f"Sent {sent:,} of {emails:,} reminders; the SMTP server received {received:,} ({duplicates} twice)"
        f" in {elapsed:.1f} s with {workers} workers: {received / elapsed:.0f} messages per second"
        f" (goal: all in < {GOALS['sending']:.0f} s)"
    )
    assert received == emails == sent, "not every reminder arrived exactly once"
    return {"sending": elapsed}


def main() -> int:
    if ARGUMENTS.worker:
        # One task worker: the db_worker command, until the queue is empty.
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
        return 0
    postgres = connection.vendor == "postgresql"
    enrolments = 2_000 if ARGUMENTS.small else ARGUMENTS.enrolments or (1_000_000 if postgres else 200_000)
    emails = 200 if ARGUMENTS.small else ARGUMENTS.emails

    setup_test_environment()
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["MIGRATE"] = False
    if not postgres:
        # A file, so the worker processes share it.
        directory = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108
        test_settings["NAME"] = tempfile.mktemp(suffix=".sqlite3", dir=directory)  # noqa: S306
    results = {}
    for step in (lambda database: bench_queueing(enrolments), lambda database: bench_sending(emails, database)):
        database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            results.update(step(database))
        finally:
            connection.creation.destroy_test_db(database, verbosity=0)
    missed = [name for name, seconds in results.items() if seconds > GOALS[name]]
    if missed:
        print(f"Over the goal: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed and not ARGUMENTS.small else 0


if __name__ == "__main__":
    sys.exit(main())
