"""Queries and median response times of the learner's hot pages, for a course of 1 lesson and of N lessons.

    python bench/pages.py             # 1 and 20 lessons, 30 timed requests per page
    python bench/pages.py --small     # 1 and 3 lessons, 3 requests: the size `make test` runs

Each lesson holds a quiz and a reflection. The learner has done everything but the last
lesson's quiz; the "completing request" is the POST that passes it and completes the course
(timed inside a rolled-back transaction, so it can be repeated).
Runs on a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

from courses.models import Enrollment  # noqa: E402
from courses.testing import (  # noqa: E402
    make_sized_course,
    make_training_site,
    make_user,
    pass_all_but_the_last_quiz,
    quiz_answers,
)

#: The most queries each page may cost, and what the other Wagtail LMS spends on a 20-lesson course.
GOALS = {"course page": (10, 12), "lesson page": (12, 14), "completing request": (20, 65), "dashboard": (12, None)}


def requests_for(client: Client, index, learner, lessons: int) -> dict:
    """Build a course of ``lessons`` lessons and return each page's request as (method, url, data)."""
    course = make_sized_course(index, lessons)
    Enrollment.objects.enrol(learner, course, source="self")
    last_lesson, last_quiz = pass_all_but_the_last_quiz(client, course)
    return {
        "course page": ("get", course.url, None),
        "lesson page": ("get", last_lesson.url, None),
        "dashboard": ("get", "/my-training/", None),
        "completing request": ("post", f"{last_lesson.url}activities/{last_quiz.pk}/", quiz_answers(last_quiz)),
    }


def send(client: Client, method: str, url: str, data) -> float:
    """Send one request and roll back whatever it writes, so that it can be sent again; return milliseconds."""
    with transaction.atomic():
        start = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        elapsed = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    if response.status_code not in (200, 302):
        raise RuntimeError(f"{method.upper()} {url} answered {response.status_code}")
    return elapsed


def measure(client: Client, index, learner, lessons: int, repeat: int) -> dict[str, tuple[int, float]]:
    results = {}
    for page, (method, url, data) in requests_for(client, index, learner, lessons).items():
        send(client, method, url, data)  # warm per-process caches
        timings = [send(client, method, url, data) for _ in range(repeat)]
        # Counted once more, outside any surrounding transaction, as in production.
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data or {})
            count = len(queries)
        assert response.status_code in (200, 302)
        results[page] = (count, statistics.median(timings))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="1 and 3 lessons, 3 requests per page")
    parser.add_argument("--lessons", type=int, default=20, help="lessons in the large course (default 20)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    args = parser.parse_args()
    lessons, repeat = (3, 3) if args.small else (args.lessons, args.repeat)

    setup_test_environment()
    # As in production, follow-up work (a completion's certificate) is queued for a worker, not run in the request.
    override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}).enable()
    settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        index = make_training_site()
        learner = make_user("bench-learner")
        client = Client()
        client.force_login(learner)
        small = measure(client, index, learner, 1, repeat)
        large = measure(client, index, learner, lessons, repeat)
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)

    print(f"Database: {connection.vendor}; median of {repeat} requests per page.")
    print(
        f"{'page':<20} {'queries, 1 lesson':>18} {f'queries, {lessons} lessons':>20} {'goal':>5} "
        f"{'other LMS':>10} {'ms, 1 lesson':>13} {f'ms, {lessons} lessons':>15}"
    )
    failures = []
    for page, (goal, other) in GOALS.items():
        (small_queries, small_ms), (large_queries, large_ms) = small[page], large[page]
        print(
            f"{page:<20} {small_queries:>18} {large_queries:>20} {goal:>5} {other or '-':>10} "
            f"{small_ms:>13.1f} {large_ms:>15.1f}"
        )
        if max(small_queries, large_queries) > goal:
            failures.append(page)
    if failures:
        print(f"Over the query goal: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
