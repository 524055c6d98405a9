"""The production settings and the health check."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "a-long-and-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "training.example.com",
    "DATABASE_URL": "sqlite:////tmp/training-deploy-check.sqlite3",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    # Browser tests allow async-unsafe calls in this process; a deployed site would not.
    env = {key: value for key, value in os.environ.items() if key not in {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# The checks do not connect; with PostgreSQL, Wagtail's search index needs django.contrib.postgres.
@pytest.mark.parametrize(
    "database_url",
    [PRODUCTION["DATABASE_URL"], "postgres://training@127.0.0.1:9/training"],
    ids=["sqlite", "postgresql"],
)
def test_the_production_settings_pass_the_deployment_checks(database_url):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **(PRODUCTION | {"DATABASE_URL": database_url}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_a_missing_required_variable_stops_start_up_with_one_line(missing, how):
    environment = {key: value for key, value in PRODUCTION.items() if key != missing}
    if how == "empty":
        environment[missing] = ""
    result = manage("check", **environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Set the environment variable {missing}: the production settings need it (see docs/deploy.md)."
    ]


def test_healthz_reports_the_database_and_the_task_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "task_queue_lag_seconds": 0.0, "task_queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(TRAINING_TASK_LAG_LIMIT=60)
def test_healthz_fails_when_tasks_wait_too_long(client, db):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="courses.tasks.daily_sweep",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - datetime.timedelta(minutes=5),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["task_queue"] == "lagging"
    assert response.json()["task_queue_lag_seconds"] >= 299
