"""PostgreSQL's plans for the queries that grow with the staff: none reads all enrolments.

On 20,000 enrolments (2,000 staff in 10 courses, half completed, refreshers spread over a year),
analysed first so the planner knows the sizes, the status of one learner and of a page of
learners, the daily sweep's batch select, every query of the dashboard and every query of the
compliance matrix's page and of its export are EXPLAINed; the test fails on a sequential scan over
courses_enrollment. Runs on PostgreSQL only (`make pytest-postgres`).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance import matrix
from courses.models import CourseCompletion, Cycle, Enrollment, StaffProfile
from courses.refreshers import BATCH_SIZE
from courses.roles import TRAINERS, set_up_roles
from courses.testing import make_course, make_user

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")

STAFF, COURSES = 2_000, 10
WATCHED = "courses_enrollment"
# The daily sweep's agenda: which enrolments' refresher windows have opened (courses.refreshers).
SWEEP_BATCH = f"SELECT id FROM {WATCHED} WHERE refresher_opens_on <= %s ORDER BY id LIMIT {BATCH_SIZE}"  # noqa: S608


@pytest.fixture
def enrolments(index):
    """2,000 staff in 10 courses; half the enrolments completed, with their refreshers spread over a year."""
    today = timezone.localdate()
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"staff{number:05}", password="!") for number in range(STAFF)]
    )
    StaffProfile.objects.bulk_create([StaffProfile(user=user, department=f"Team {user.pk % 20}") for user in users])
    courses = [make_course(index, f"Course {number}") for number in range(COURSES)]
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=user,
                course=course,
                source=Enrollment.Source.ASSIGNED,
                refresher_opens_on=today + datetime.timedelta(days=(position % 365) - 5) if position % 2 else None,
            )
            for position, (user, course) in enumerate((user, course) for user in users for course in courses)
        ],
        batch_size=5_000,
    )
    Cycle.objects.bulk_create(
        [Cycle(enrollment=enrollment, number=1, opened_on=today, due_on=today) for enrollment in enrollments],
        batch_size=5_000,
    )
    CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(
                enrollment=enrollment,
                cycle=1,
                valid_from=today,
                valid_until=enrollment.refresher_opens_on + datetime.timedelta(days=30),
                refresher_opens_on=enrollment.refresher_opens_on,
                grace_until=enrollment.refresher_opens_on + datetime.timedelta(days=60),
            )
            for enrollment in enrollments
            if enrollment.refresher_opens_on
        ],
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return users


def sequential_scans(sql: str, params=()) -> set[str]:
    """The tables PostgreSQL would read whole to run ``sql``."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params or None)
        plan = cursor.fetchone()[0][0]["Plan"]
    scanned, nodes = set(), [plan]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Seq Scan":
            scanned.add(node["Relation Name"])
        nodes.extend(node.get("Plans", []))
    return scanned


def captured(run) -> list[str]:
    """The SQL of every statement ``run()`` sends that touches enrolments."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return [query["sql"] for query in queries if WATCHED in query["sql"]]


def test_no_query_that_grows_with_the_staff_reads_every_enrolment(enrolments, client, monkeypatch):
    learner, page_of_learners = enrolments[1234], enrolments[500:550]
    today = timezone.localdate()
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    # The export's chunks, in the proportion they have to the staff at full size (500 of 10,000).
    monkeypatch.setattr(matrix, "EXPORT_CHUNK", STAFF // 20)
    client.force_login(trainer)
    matrix_page = captured(lambda: client.get("/admin/compliance/matrix/"))
    matrix_export = captured(lambda: b"".join(client.get("/admin/compliance/matrix/?export=csv").streaming_content))
    assert len(matrix_export) == 20  # one status query a chunk
    client.force_login(learner)
    plans = {
        "status of one learner": [Enrollment.objects.with_status().filter(user=learner).query.sql_with_params()],
        "status of a page of learners": [
            Enrollment.objects.with_status().filter(user__in=page_of_learners).query.sql_with_params()
        ],
        "dashboard": [(sql, ()) for sql in captured(lambda: client.get("/my-training/"))],
        "compliance matrix's page": [(sql, ()) for sql in matrix_page],
        "compliance matrix's export": [(sql, ()) for sql in matrix_export],
        "daily sweep's batch of refreshers to open": [(SWEEP_BATCH, [today])],
    }
    assert all(plans.values())

    scans = {
        name: set().union(*(sequential_scans(sql, params) for sql, params in statements))
        for name, statements in plans.items()
    }

    assert {name: tables for name, tables in scans.items() if WATCHED in tables} == {}
