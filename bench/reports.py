"""Speed of the compliance matrix: its first page as the admin serves it, and its full CSV and XLSX exports.

    python bench/reports.py            # 10,000 staff, 8 courses: about 80,000 enrolments with history
    python bench/reports.py --small    # 500 staff, 8 courses: the size `make bench` runs

Prints the median time of the matrix's first page (served through the admin, as a trainer who sees
everyone and as a manager who sees a team of about a hundred), the queries of its first and last
page, and for each export its time and the peak of Python memory it allocated (traced in a second
run, as tracing slows it). Runs on a throwaway test database (SQLite, or PostgreSQL when
DATABASE_URL is set).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import CourseCompletion, Cycle, Enrollment, StaffProfile  # noqa: E402
from courses.roles import MANAGERS, TRAINERS, set_up_roles  # noqa: E402
from courses.testing import make_course, make_lesson, make_training_site  # noqa: E402

MATRIX = "/admin/compliance/matrix/"
COURSES = 8
TEAM_SIZE = 100
#: Goals of the issue: first page (ms), CSV (s), XLSX (s).
GOALS = {"page": 150, "csv": 1.0, "xlsx": 3.0}


def build(staff: int) -> tuple:
    """``staff`` people in teams of a hundred under one director, each enrolled in every course, with history."""
    set_up_roles()
    index = make_training_site()
    courses = []
    for number in range(COURSES):
        course = make_course(index, f"Course {number + 1}")
        make_lesson(course, "Lesson")
        courses.append(course)
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"person{n:05d}", first_name=f"First{n % 97}", last_name=f"Last{n:05d}") for n in range(staff)
    )
    users = list(User.objects.filter(username__startswith="person").order_by("username"))
    director = User.objects.create_user("director", first_name="Dina", last_name="Director")
    managers = users[::TEAM_SIZE]
    manager_of = {user.pk: (director if user in managers else managers[i // TEAM_SIZE]) for i, user in enumerate(users)}
    StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user,
            manager=manager_of[user.pk],
            department=f"Department {i % 12}",
            hire_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=i % 3000),
        )
        for i, user in enumerate(users)
    )
    today = timezone.localdate()
    enrolled = timezone.now() - datetime.timedelta(days=800)
    Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course, source="automatic", enrolled_at=enrolled)
        for user in users
        for course in courses
    )
    cycles, completions = [], []
    for i, pk in enumerate(Enrollment.objects.values_list("pk", flat=True).order_by("pk").iterator()):
        opened = today - datetime.timedelta(days=700 + i % 100)
        cycles.append(Cycle(enrollment_id=pk, number=1, opened_on=opened, due_on=opened + datetime.timedelta(days=30)))
        kind = i % 10
        if kind < 7:  # completed: valid, refresher due, in grace or expired depending on when
            done = today - datetime.timedelta(days=(i * 7) % 420)
            completions.append(
                CourseCompletion(
                    enrollment_id=pk,
                    cycle=1,
                    completed_at=timezone.make_aware(datetime.datetime.combine(done, datetime.time(10))),
                    valid_from=done,
                    valid_until=done + datetime.timedelta(days=365),
                    refresher_opens_on=done + datetime.timedelta(days=335),
                    grace_until=done + datetime.timedelta(days=379),
                )
            )
            if kind < 3:  # and a refresher cycle opened since
                cycles.append(
                    Cycle(
                        enrollment_id=pk,
                        number=2,
                        is_refresher=True,
                        opened_on=done + datetime.timedelta(days=335),
                        due_on=done + datetime.timedelta(days=365),
                    )
                )
    Cycle.objects.bulk_create(cycles, batch_size=5000)
    CourseCompletion.objects.bulk_create(completions, batch_size=5000)
    trainer = User.objects.create_user("trainer")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    manager = managers[1]
    manager.groups.add(Group.objects.get(name=MANAGERS))
    return trainer, manager


def timed_get(client: Client, url: str, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def export(client: Client, file_format: str) -> tuple[float, float, float, int]:
    """Seconds, then this process's CPU seconds, then peak traced MiB of a second run, then the bytes of the file."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"{MATRIX}?export={file_format}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()
    response = client.get(f"{MATRIX}?export={file_format}")
    for _chunk in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, cpu, peak, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="500 staff, 3 requests per page")
    parser.add_argument("--staff", type=int, default=10_000, help="staff (default 10,000)")
    args = parser.parse_args()
    staff, repeat = (500, 3) if args.small else (args.staff, 15)

    # No setup_test_environment(): its instrumented template rendering is not what a server runs.
    settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False
    if connection.vendor == "postgresql":
        # PostgreSQL's JIT compiles the status query's plan afresh each time, for ten times its run time.
        settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # The machine may be shared: the load average says how far the timings can be trusted.
    load_before = os.getloadavg()[0]
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        trainer, manager = build(staff)
        built = time.perf_counter() - start
        enrolments, cycles = Enrollment.objects.count(), Cycle.objects.count()
        completions = CourseCompletion.objects.count()
        client = Client()
        client.force_login(trainer)
        client.get(MATRIX)  # warm per-process caches
        trainer_page = timed_get(client, MATRIX, repeat)
        last_page = (staff + 1) // 50 + 1
        page_queries = (
            queries(client, MATRIX),
            queries(client, f"{MATRIX}?p=2"),
            queries(client, f"{MATRIX}?p={last_page}"),
        )
        filtered_page = timed_get(client, f"{MATRIX}?status=overdue&department=Department+3", repeat)
        csv_result = export(client, "csv")
        xlsx_result = export(client, "xlsx")
        client.force_login(manager)
        manager_page = timed_get(client, MATRIX, repeat)
        manager_queries = queries(client, MATRIX)
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)

    out = sys.stdout.write
    out(f"Database: {connection.vendor}. {staff:,} staff, {COURSES} courses: {enrolments:,} enrolments, ")
    out(f"{cycles:,} cycles, {completions:,} completions (built in {built:.1f} s).\n")
    out(f"Matrix, first page of 50, as a trainer (everyone): {trainer_page:.1f} ms median of {repeat}\n")
    out(f"  filtered by status and department:                {filtered_page:.1f} ms\n")
    out(f"Matrix, first page, as a manager (team of {TEAM_SIZE - 1}):      {manager_page:.1f} ms\n")
    out(f"Queries per page (first, second, last; manager's first): {page_queries}, {manager_queries}\n")
    for name, (seconds, cpu, peak, size) in (("CSV", csv_result), ("XLSX", xlsx_result)):
        out(
            f"{name} export of everyone: {seconds:.2f} s ({cpu:.2f} s of this process's CPU), "
            f"{size / 2**20:.1f} MiB file, peak Python memory {peak:.1f} MiB\n"
        )
    out(f"Load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after.\n")
    failures = []
    if args.small:
        # The small size runs in `make test` on a busy machine: it checks that paging costs the same
        # queries on every page; the time goals are for the full size.
        return 1 if len(set(page_queries)) != 1 else 0
    if trainer_page > GOALS["page"]:
        failures.append("first page")
    if csv_result[0] > GOALS["csv"]:
        failures.append("CSV")
    if xlsx_result[0] > GOALS["xlsx"]:
        failures.append("XLSX")
    if len(set(page_queries)) != 1:
        failures.append("queries per page")
    if failures:
        sys.stderr.write(f"Over the goal: {', '.join(failures)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
