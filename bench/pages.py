"""Queries and median response times of the learner's hot pages, for courses of several sizes, beside the floor.

    python bench/pages.py                   # courses of 1, 20 and 100 lessons; 30 GETs per page; 10 learners
    python bench/pages.py --small           # 1 and 3 lessons, 3 GETs, 2 learners: the size `make test` runs
    python bench/pages.py --peer            # the same, then the other Wagtail LMS's harness, and the ratios
    python bench/pages.py --lessons 1,100 --repeat 50 --learners 20
    python bench/pages.py --peer --priority 10   # on a machine busy with other work (root only)

Each lesson holds a quiz and a reflection. A learner who has done everything but the last
lesson's quiz opens the course page and the last lesson's page: the GETs are timed one by one,
outside any transaction (they write nothing), after a few warm-up requests. The *completing
request* is the POST that passes that quiz and completes the course: it is timed once per fresh
learner (each given the same records as the first, row by row) and committed, as in production.
The *dashboard* is timed empty (a learner with no enrolment) and full (12 courses, 5 past cycles
each, a 6th in progress). The *floor* is the framework's own cost of a page: the same middleware,
the session and the user, one query and a small template (``bench/floor_urls.py``).

Every request is timed inside ``CaptureQueriesContext``, which counts its queries as
``assertNumQueries`` does, as the other LMS's harness does. Follow-up work (a completion's
certificate) is queued in the database for a worker, as in production.

The database is an SQLite file in WAL mode in a temporary folder, as the demo runs, or
PostgreSQL when DATABASE_URL is set.

``--peer`` runs ``../shared/peers/wagtail-lms/run.sh`` (the harness of wagtail-lms, the other
Wagtail LMS; ``--peer-dir`` elsewhere) with the same course sizes, GETs and learners, right
after this project's measurements, and prints both side by side with the ratio of this project's
median to the peer's. Its first run creates its virtual environment (a minute). Without
``--peer``, the same comparison takes two commands: this one, then ``bash run.sh --lessons
1,20,100`` in the peer's folder; compare the ratios of figures taken in one session only, as
the machine is shared (the load average is printed at the start and the end).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from courses.models import Attempt, Enrollment, LessonProgress  # noqa: E402
from courses.testing import (  # noqa: E402
    make_course,
    make_lesson,
    make_past_cycles,
    make_sized_course,
    make_training_site,
    make_user,
    pass_all_but_the_last_quiz,
    quiz_answers,
)

#: The most queries each request may cost (it fails above them), and what the other Wagtail LMS spends.
QUERY_GOALS = {
    "course page": (4, 12),
    "lesson page": (5, 14),
    "completing request": (14, None),  # the completion, and its cycle marked completed
    "dashboard": (8, None),
}
#: Rows compared with the peer's harness, by its names.
PEER_ROWS = {"course page": "course_page", "lesson page": "lesson_page", "completing request": "complete_course"}
ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT.parent / "shared" / "peers" / "wagtail-lms"
DASHBOARD_COURSES, DASHBOARD_PAST_CYCLES = 12, 5
WARMUP = 3


@dataclass
class Sample:
    """Query counts and wall times of repeated requests of one kind."""

    counts: list[int] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.millis)

    @property
    def queries(self) -> int:
        return statistics.median_low(self.counts)

    def cell(self) -> str:
        spread = "" if min(self.counts) == max(self.counts) else f" ({min(self.counts)}-{max(self.counts)})"
        return f"{self.median:7.2f} ms {self.queries:3d} q{spread}"


def timed(sample: Sample, client: Client, method: str, url: str, data=None):
    """Send one request outside any transaction; add its queries and milliseconds to ``sample``."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code not in (200, 302):
        raise SystemExit(f"bench/pages.py: {method.upper()} {url} answered {response.status_code}")
    sample.counts.append(len(queries))
    sample.millis.append(elapsed)
    return response


def repeated(client: Client, url: str, repeat: int) -> tuple[Sample, str]:
    """``repeat`` GETs of ``url`` after the warm-up ones; the sample and the last page's HTML."""
    for _ in range(WARMUP):
        client.get(url)
    sample = Sample()
    for _ in range(repeat):
        response = timed(sample, client, "get", url)
    return sample, response.content.decode()


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"bench/pages.py: sanity check failed: {message}")


def copy_records(source: Enrollment, learner) -> Enrollment:
    """Enrol ``learner`` where ``source`` is enrolled, with a copy of its attempts and lesson progress."""
    enrollment, _created = Enrollment.objects.enrol(learner, source.course, source="self")
    for model in (Attempt, LessonProgress):
        rows = list(model.objects.filter(enrollment=source))
        for row in rows:
            row.pk, row.enrollment = None, enrollment
        model.objects.bulk_create(rows)
    return enrollment


def measure_course(index, lessons: int, repeat: int, learners: int) -> dict[str, Sample]:
    """The course page and the last lesson's page, then the completing request of fresh learners."""
    course = make_sized_course(index, lessons)
    learner = make_user(f"learner-{lessons}")
    client = Client()
    client.force_login(learner)
    Enrollment.objects.enrol(learner, course, source="self")
    last_lesson, last_quiz = pass_all_but_the_last_quiz(client, course)

    samples = {}
    samples["course page"], html = repeated(client, course.url, repeat)
    check(html.count('class="lesson-list__item') == lessons, "the course page does not list every lesson")
    check(html.count("lesson-list__item is-complete") == lessons - 1, "the course page does not mark the lessons done")
    samples["lesson page"], html = repeated(client, last_lesson.url, repeat)
    links = html.split('class="lesson-nav"')[-1].count(f'href="{course.url}lesson-')
    check(links == lessons, "the lesson page does not list its course's lessons")
    check(html.count('<span class="lesson-done">') == lessons - 1, "the lesson page does not mark the lessons done")

    reference = Enrollment.objects.get(user=learner, course=course)
    url, answers = f"{last_lesson.url}activities/{last_quiz.pk}/", quiz_answers(last_quiz)
    samples["completing request"] = Sample()
    for number in range(learners):
        enrollment = copy_records(reference, make_user(f"finisher-{lessons}-{number}"))
        check(not enrollment.completions.exists(), "the course is complete before its last quiz")
        finisher = Client()
        finisher.force_login(enrollment.user)
        timed(samples["completing request"], finisher, "post", url, answers)
        check(enrollment.completions.count() == 1, "the completing request did not complete the course")
    return samples


def measure_dashboards(index, courses: int, past_cycles: int, repeat: int) -> dict[str, Sample]:
    """The floor, the empty dashboard, and the dashboard of a learner with a long history."""
    empty, full = make_user("dashboard-empty"), make_user("dashboard-full")
    history = [make_course(index, f"History {number}") for number in range(courses)]
    for course in history:
        make_lesson(course, "Lesson")
    make_past_cycles(full, history, past_cycles)
    samples = {}
    for name, user, url in (
        ("floor", empty, "/bench/floor/"),
        ("empty dashboard", empty, "/my-training/"),
        (f"dashboard, {courses} courses x {past_cycles} cycles", full, "/my-training/"),
    ):
        client = Client()
        client.force_login(user)
        samples[name], html = repeated(client, url, repeat)
    check(html.count('class="card ') == courses, "the dashboard does not show every course")
    return samples


def run_peer(peer_dir: Path, sizes: list[int], repeat: int, learners: int) -> dict[int, dict]:
    """Run the peer's harness with the same sizes; its JSON result per course size."""
    command = ["bash", str(peer_dir / "run.sh"), "--lessons", ",".join(map(str, sizes)), "--runs", str(repeat)]
    command += ["--learners", str(learners), "--warmup", str(WARMUP)]
    print(f"Running the peer: {' '.join(command)}", flush=True)
    run = subprocess.run(command, check=False, capture_output=True, text=True)
    if run.returncode:
        print(f"The peer's harness failed ({run.returncode}); no ratios:\n{run.stderr[-2000:]}", file=sys.stderr)
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return {result["lessons"]: result for result in results}


def raise_priority(priority: int) -> None:
    """Run this process, and the peer's harness it starts, ``priority`` steps above normal (root only): on a
    machine busy with other work, the figures then measure the pages rather than the contention. Where the
    kernel groups processes by session (autogroup), the session's group is raised too."""
    os.setpriority(os.PRIO_PROCESS, 0, -priority)
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists():
        autogroup.write_text(str(-priority))


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="1 and 3 lessons, 3 GETs, 2 learners, 2 x 2 history")
    parser.add_argument("--lessons", default="1,20,100", help="course sizes, comma-separated (default 1,20,100)")
    parser.add_argument("--repeat", type=int, default=30, help="timed GETs per page (default 30)")
    parser.add_argument("--learners", type=int, default=10, help="fresh learners for the completing request")
    parser.add_argument("--peer", action="store_true", help="run the other Wagtail LMS's harness too; print ratios")
    parser.add_argument("--peer-dir", type=Path, default=PEER_DIR, help=f"the peer's harness (default {PEER_DIR})")
    parser.add_argument(
        "--priority", type=int, default=0, help="run this much above normal priority (root only), the peer too"
    )
    args = parser.parse_args()
    if args.priority:
        raise_priority(args.priority)
    sizes = [1, 3] if args.small else [int(size) for size in args.lessons.split(",")]
    repeat, learners = (3, 2) if args.small else (args.repeat, args.learners)
    history = (2, 2) if args.small else (DASHBOARD_COURSES, DASHBOARD_PAST_CYCLES)

    # As in production, follow-up work (a completion's certificate) is queued for a worker, not run in the request.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
        ROOT_URLCONF="bench.floor_urls",
    ).enable()
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["MIGRATE"] = False
    scratch = tempfile.TemporaryDirectory(prefix="bench-pages-")
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(scratch.name) / "bench.sqlite3")
    load_before = load()
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            check(journal == "wal", f"the SQLite database is in {journal} mode, not WAL")
        database = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
        index = make_training_site()
        results = {size: measure_course(index, size, repeat, learners) for size in sizes}
        dashboards = measure_dashboards(index, *history, repeat)
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
        scratch.cleanup()
    load_after = load()
    peer = run_peer(args.peer_dir, sizes, repeat, learners) if args.peer else {}

    wal = " (WAL)" if connection.vendor == "sqlite" else ""
    print(f"\nDatabase: {database.strip()} file{wal}; load average {load_before} before, {load_after} after")
    print(f"GETs: median of {repeat} after {WARMUP} warm-ups; completing request: once each for {learners} learners.")
    peer_heading, ratio_heading = ("wagtail-lms", "ratio") if peer else ("", "")
    print(f"{'lessons':>7}  {'request':<20} {'this project':>22} {peer_heading:>22} {ratio_heading:>6}")
    for size, samples in results.items():
        for page, sample in samples.items():
            line = f"{size:>7}  {page:<20} {sample.cell():>22}"
            if size in peer:
                theirs = peer[size][PEER_ROWS[page]]
                ratio = sample.median / theirs["median_ms"]
                line += f" {theirs['median_ms']:7.2f} ms {theirs['queries']:3d} q     {ratio:6.2f}"
            print(line)
    print()
    for size, samples in results.items():
        if size != sizes[0]:
            for page in ("course page", "lesson page"):
                growth = samples[page].median / results[sizes[0]][page].median
                print(f"{page}, {size} lessons / {sizes[0]} lesson(s): {growth:.2f}")
    print()
    floor = dashboards["floor"].median
    for name, sample in dashboards.items():
        print(f"{name:<36} {sample.cell():>22}   {sample.median / floor:5.1f} x floor")
    empty, full = list(dashboards.values())[1:]
    print(f"full dashboard / empty dashboard: {full.median / empty.median:.2f}")
    for size, samples in results.items():
        course_page, lesson_page = (samples[page].median / floor for page in ("course page", "lesson page"))
        print(f"{size} lessons: course page {course_page:.1f} x floor, lesson page {lesson_page:.1f} x floor")

    failures = []
    for page, (goal, _other) in QUERY_GOALS.items():
        if page == "dashboard":
            counts = [sample.queries for sample in list(dashboards.values())[1:]]
        else:
            counts = [samples[page].queries for samples in results.values()]
        if max(counts) > goal:
            failures.append(f"{page} needs {max(counts)} queries, more than {goal}")
        if page != "dashboard" and len(set(counts)) > 1:
            failures.append(f"{page} queries grow with the course: {counts}")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
