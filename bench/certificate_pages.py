"""Whether the pages showing certificates stay flat in their size: a learner's with one certificate or many,
and the public verification page and the register with few certificates in the table or very many.

    python bench/certificate_pages.py            # 12 courses x 5 cycles; 100,000 certificates; 30 GETs a page
    python bench/certificate_pages.py --small    # the same learners; 3,000 certificates; 5 GETs: `make bench`

Two learners with the same history, 12 courses of 5 past cycles each and a cycle in progress: one holds
a single certificate (its first course's last cycle; the rest was completed before certificates were
issued), the other one for every completion (60; the older of each course superseded). Their dashboard
(its certificates panel) and the first course's page (that course's certificates: 1 or 5) are timed
for each, while the table holds only their certificates. Then others'
certificates fill the table to 100,000 and the verification page of the first learner's certificate
(as an anonymous visitor), the many-certificate learner's dashboard and the first page of the admin's
certificate register (as a trainer) are timed again. Each page's two medians are printed with their
queries and the ratio of the large to the small; the goal is a ratio within 1.15 and the same queries.

The database is an SQLite file in WAL mode in a temporary folder, as the demo runs, or PostgreSQL
when DATABASE_URL is set (see ``bench/flatness.py``). Exits 1 when a page misses the goal: on the full
size only for time (the small one runs on a busy machine in `make test`), on both for queries.
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.flatness import RATIO_GOAL, flatness_table, settled, throwaway_database, timed_gets  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.testing import make_issued_certificates  # noqa: E402
from courses.models import CourseCompletion, Enrollment  # noqa: E402
from courses.roles import TRAINERS, set_up_roles  # noqa: E402
from courses.testing import (  # noqa: E402
    make_course,
    make_lesson,
    make_past_cycles,
    make_training_site,
    make_user,
    year_valid_completion,
)

COURSES, PAST_CYCLES = 12, 5
REGISTER = "/admin/certificates/"


def fill_register(courses: list, total: int) -> None:
    """Other learners' certificates, 60 each (12 courses x 5 completions), until the table holds ``total``."""
    missing = total - Certificate.objects.count()
    per_learner = len(courses) * PAST_CYCLES
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"holder{n:06d}", first_name=f"First{n % 89}", last_name=f"Last{n:06d}")
        for n in range(-(-missing // per_learner))
    )
    enrollments = Enrollment.objects.bulk_create(
        (
            Enrollment(user=user, course=course, source=Enrollment.Source.ASSIGNED)
            for user in users
            for course in courses
        ),
        batch_size=5000,
    )
    today = timezone.localdate()
    completions = []
    for enrollment in enrollments:
        for cycle in range(1, PAST_CYCLES + 1):
            done = today - datetime.timedelta(days=365 * (PAST_CYCLES - cycle) + 20 + enrollment.pk % 300)
            completions.append(year_valid_completion(enrollment, cycle, done, at=datetime.time(11)))
    CourseCompletion.objects.bulk_create(completions[:missing], batch_size=5000)
    make_issued_certificates(CourseCompletion.objects.filter(enrollment__user__username__startswith="holder"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="3,000 certificates in the end, 5 GETs a page")
    parser.add_argument("--certificates", type=int, default=100_000, help="in the table in the end (100,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed GETs per page (default 30)")
    args = parser.parse_args()
    total, repeat = (3_000, 5) if args.small else (args.certificates, args.repeat)

    # The bench's GETs would pass the verification page's limit per address.
    override_settings(TRAINING_CERTIFICATE_VERIFY_RATE=(10**9, 60)).enable()
    load_before = os.getloadavg()[0]
    with throwaway_database("bench-certificate-pages-") as database:
        set_up_roles()
        index = make_training_site()
        courses = [make_course(index, f"Course {number + 1}") for number in range(COURSES)]
        for course in courses:
            make_lesson(course, "Lesson")
        one = make_user("one-certificate", first_name="Oona", last_name="One")
        many = make_user("many-certificates", first_name="Manon", last_name="Many")
        make_past_cycles(one, courses, PAST_CYCLES)
        make_past_cycles(many, courses, PAST_CYCLES)
        # The same history; one holds a certificate for its first course's last cycle only (the others were
        # completed before certificates were issued), the other one for every completion.
        make_issued_certificates(
            CourseCompletion.objects.filter(enrollment__user=one, enrollment__course=courses[0], cycle=PAST_CYCLES)
        )
        make_issued_certificates(CourseCompletion.objects.filter(enrollment__user=many))
        trainer = make_user("trainer")
        trainer.groups.add(Group.objects.get(name=TRAINERS))
        verification = f"/certificates/verify/{Certificate.objects.get(completion__enrollment__user=one).code}/"
        clients = {}
        for user in (one, many, trainer):
            clients[user] = Client()
            clients[user].force_login(user)
        visitor = Client()
        settled()
        few = Certificate.objects.count()

        def pages() -> dict:
            return {
                "verification": timed_gets(visitor, verification, repeat),
                "dashboard of 60": timed_gets(clients[many], "/my-training/", repeat),
                "register": timed_gets(clients[trainer], REGISTER, repeat),
            }

        learners = {
            "dashboard": (
                timed_gets(clients[one], "/my-training/", repeat),
                timed_gets(clients[many], "/my-training/", repeat),
            ),
            "course page": (
                timed_gets(clients[one], courses[0].url, repeat),
                timed_gets(clients[many], courses[0].url, repeat),
            ),
        }
        with_few = pages()
        fill_register(courses, total)
        settled()
        many_in_table = Certificate.objects.count()
        with_many = pages()

    print(f"Database: {database}. {repeat} GETs a page after warm-ups, medians.")
    print(f"Learners: {COURSES} courses x {PAST_CYCLES} past cycles each, with 1 certificate or with 60.\n")
    failures = flatness_table(
        [
            ("learner's dashboard (certificates panel)", *learners["dashboard"]),
            ("course page (the course's certificates)", *learners["course page"]),
        ],
        "1 certificate",
        f"{COURSES * PAST_CYCLES} certificates",
    )
    print()
    failures += flatness_table(
        [
            ("verification page (anonymous)", with_few["verification"], with_many["verification"]),
            ("dashboard of the learner with 60", with_few["dashboard of 60"], with_many["dashboard of 60"]),
            ("certificate register, first page (trainer)", with_few["register"], with_many["register"]),
        ],
        f"{few:,} in the table",
        f"{many_in_table:,} in the table",
    )
    print(f"\nGoal: large / small within {RATIO_GOAL}, the same queries. Load average (1 min): ", end="")
    print(f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after.")
    if args.small:
        failures = [failure for failure in failures if "queries" in failure]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
