"""The matrix as of a past day shows what the matrix showed on that day, replayed day by day."""

import datetime
import zoneinfo

import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from courses.models import Enrollment, Renewal, StaffProfile
from courses.refreshers import run_sweep
from courses.roles import MANAGERS, set_up_roles
from courses.testing import make_course, make_lesson, make_quiz, make_user, quiz_answers

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
MATRIX = "/admin/compliance/matrix/"


def on(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=TEHRAN), tick=False)


def matrix(client, user, query: str = "") -> dict[str, list]:
    """The matrix as ``user`` sees it; logged in afresh, as a session from a day long past has expired."""
    client.force_login(user)
    response = client.get(MATRIX + query)
    assert response.status_code == 200
    return {
        person.user.username: [(cell.status, cell.date) if cell else None for cell in person.cells]
        for person in response.context["object_list"]
    }


def test_a_snapshot_of_each_past_day_matches_that_day(index):
    course = make_course(
        index,
        "Listening basics",
        renewal=Renewal.EVERY_N_MONTHS,
        renew_every_months=12,
        refresher_window_days=30,
        grace_days=14,
    )
    lessons = [make_lesson(course, f"Lesson {n}", activities=[make_quiz(title=f"Quiz {n}")]) for n in (1, 2)]
    set_up_roles()
    manager, learner = Client(), Client()
    seen: dict[str, dict] = {}

    def do_lesson(user, lesson):
        learner.force_login(user)
        activity = lesson.live_activities()[0]
        assert learner.post(f"{lesson.url}activities/{activity.pk}/", quiz_answers(activity)).status_code == 302

    with on("2026-01-05"):
        boss = make_user("boss", first_name="Bahar", last_name="Boss")
        boss.groups.add(Group.objects.get(name=MANAGERS))
        staff = {}
        for name in ("ana", "ben", "cas"):
            staff[name] = make_user(name, first_name=name.title(), last_name="Staff")
            StaffProfile.objects.create(user=staff[name], manager=boss)
        for name in ("ana", "ben"):
            Enrollment.objects.enrol(staff[name], course, source="assigned", due_date=datetime.date(2026, 2, 4))
        seen["2026-01-05"] = matrix(manager, boss)
    with on("2026-01-20"):
        do_lesson(staff["ana"], lessons[0])
        Enrollment.objects.enrol(staff["cas"], course, source="assigned", due_date=datetime.date(2026, 3, 1))
        seen["2026-01-20"] = matrix(manager, boss)
    with on("2026-01-25"):
        do_lesson(staff["ana"], lessons[1])
        seen["2026-01-25"] = matrix(manager, boss)
    with on("2026-02-10"):
        do_lesson(staff["cas"], lessons[0])
        seen["2026-02-10"] = matrix(manager, boss)
    for day in ("2026-12-26", "2027-01-30", "2027-02-10"):
        with on(day):
            run_sweep()
            seen[day] = matrix(manager, boss)

    with on("2027-03-01"):
        replayed = {day: matrix(manager, boss, f"?on={day}") for day in seen}

    assert replayed == seen
    statuses = {day: [cells[0] and cells[0][0] for cells in people.values()] for day, people in seen.items()}
    assert statuses["2026-01-05"] == ["not_started", "not_started", None]
    assert statuses["2026-01-25"] == ["valid", "not_started", "not_started"]
    assert statuses["2026-02-10"] == ["valid", "overdue", "in_progress"]
    assert statuses["2026-12-26"][0] == "refresher_due"
    assert statuses["2027-01-30"][0] == "in_grace"
    assert statuses["2027-02-10"][0] == "expired"
