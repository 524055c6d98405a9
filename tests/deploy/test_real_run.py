"""A real run: PostgreSQL, gunicorn with two workers and two task workers on loopback, with the production
settings; a learner goes through a course over HTTP and a task worker does the follow-up work.

Marked ``slow`` (about a minute, most of it migrations and collectstatic): `make pytest-slow` runs it.
"""

import json
import re
import time

import pytest
import requests

from bench.stack import Stack, behind_tls_proxy

pytestmark = pytest.mark.slow

BUILD_COURSE = """
import json
from django.apps import apps
from courses.testing import make_sized_course, make_training_site, make_user, quiz_answers

course = make_sized_course(make_training_site(), 2, title="Listening basics")
make_user("learner", profile={"preferred_language": "en"}, first_name="Lena", last_name="Learner")
lessons = []
for lesson in course.lessons():
    quiz, reflection = lesson.specific.live_activities()
    lessons.append({"url": lesson.url, "quiz": quiz.pk, "answers": quiz_answers(quiz), "reflection": reflection.pk})
print(json.dumps({"course": course.url, "lessons": lessons, "certificates": apps.is_installed("certificates")}))
"""

CERTIFICATE_OF_LEARNER = """
import json
from certificates.models import Certificate

certificate = Certificate.objects.get(completion__enrollment__user__username="learner")
with certificate.pdf.open("rb") as pdf:
    start = pdf.read(5).decode()
print(json.dumps({"state": certificate.state, "pdf_starts_with": start}))
"""


@pytest.fixture(scope="module")
def stack():
    with Stack() as stack:
        stack.deploy()
        stack.course = stack.run_python(BUILD_COURSE)
        stack.start_web(workers=2)
        stack.start_task_workers(2)
        yield stack


def task_results(stack: Stack, task_path: str) -> list[tuple[str, list[str]]]:
    """(status, worker ids) of each task of ``task_path`` in the database queue."""
    table = "django_tasks_database_dbtaskresult"
    rows = stack.psql(f"SELECT status, worker_ids FROM {table} WHERE task_path = '{task_path}' ORDER BY enqueued_at")  # noqa: S608
    return [(status, json.loads(workers)) for status, workers in (row.split("|") for row in rows.splitlines())]


def wait_for_task(stack: Stack, task_path: str, seconds: float = 30) -> list[tuple[str, list[str]]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        results = task_results(stack, task_path)
        if results and all(status in {"SUCCESSFUL", "FAILED"} for status, _ in results):
            return results
        time.sleep(0.3)
    pytest.fail(f"No task worker finished {task_path} within {seconds} s: {task_results(stack, task_path)}")


def csrf_token(session: requests.Session) -> str:
    return session.cookies["csrftoken"]


def test_a_learner_completes_a_course_and_a_task_worker_does_the_follow_up(stack):
    base = stack.base_url
    course = stack.course
    learner = behind_tls_proxy(requests.Session(), base)

    login_page = learner.get(f"{base}/accounts/login/", timeout=30)
    assert login_page.status_code == 200
    assert "Secure" in login_page.headers["Set-Cookie"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    dashboard = learner.post(
        f"{base}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "learner", "password": "learner"},
        timeout=30,
    )
    assert dashboard.status_code == 200
    assert dashboard.url.endswith("/my-training/")

    enrolled = learner.post(f"{base}{course['course']}enrol/", {"csrfmiddlewaretoken": csrf_token(learner)})
    assert enrolled.status_code == 200
    assert "You are enrolled" in enrolled.text

    for lesson in course["lessons"]:
        page = learner.get(f"{base}{lesson['url']}", timeout=30)
        assert page.status_code == 200
        assert f"activities/{lesson['quiz']}/" in page.text
        submissions = [
            (lesson["reflection"], {"response": "I listened, then I summed up what I heard."}),
            (lesson["quiz"], lesson["answers"]),
        ]
        for activity, data in submissions:
            answered = learner.post(
                f"{base}{lesson['url']}activities/{activity}/",
                {**data, "csrfmiddlewaretoken": csrf_token(learner)},
                timeout=30,
            )
            assert answered.status_code == 200, answered.text[:500]

    completions = stack.psql(
        "SELECT count(*) FROM courses_coursecompletion JOIN courses_enrollment e ON e.id = enrollment_id "
        "JOIN auth_user u ON u.id = e.user_id WHERE u.username = 'learner'"
    )
    assert completions.strip() == "1"

    workers = {"worker-1", "worker-2"}
    if course["certificates"]:
        results = wait_for_task(stack, "certificates.tasks.issue_certificate")
        assert [status for status, _ in results] == ["SUCCESSFUL"]
        assert results[0][1]
        assert set(results[0][1]) <= workers
        assert stack.run_python(CERTIFICATE_OF_LEARNER) == {"state": "issued", "pdf_starts_with": "%PDF-"}
    else:
        stack.manage("training_sweep", "--enqueue")
        results = wait_for_task(stack, "courses.tasks.daily_sweep")
        assert [status for status, _ in results] == ["SUCCESSFUL"]
        assert results[0][1]
        assert set(results[0][1]) <= workers

    health = requests.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["task_queue"] == "ok"
