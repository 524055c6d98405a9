"""A task worker killed in the middle of a task: the daily sweep queues the task again, another worker runs it.

django-tasks-db leaves such a task "running" for good (see courses.task_recovery); the worker is killed here by
leaving the task as a dead worker leaves it: claimed, started two hours ago, never finished.
"""

import datetime

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.tasks import issue_certificate
from courses.models import CourseCompletion, Enrollment
from courses.refreshers import run_sweep
from courses.testing import make_course, make_training_site, make_user

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@task
def undeclared_task() -> None:
    """A task no app declared safe to run twice."""


def completion_of(username: str, course) -> CourseCompletion:
    enrollment, _ = Enrollment.objects.enrol(make_user(username), course, source=Enrollment.Source.SELF)
    return CourseCompletion.objects.create(enrollment=enrollment, cycle=1)


def claimed(result_id: str, worker: str, started: datetime.datetime) -> None:
    """Leave the task as a worker that took it at ``started`` and died leaves it."""
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=result_id).update(started_at=started)


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_runs_again_on_another_worker_after_the_sweep(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path
    course = make_course(make_training_site(), "Once")
    now = timezone.now()
    killed = issue_certificate.enqueue(completion_of("killed", course).pk)
    claimed(killed.id, "worker-a", now - datetime.timedelta(hours=2))
    busy = issue_certificate.enqueue(completion_of("busy", course).pk)
    claimed(busy.id, "worker-c", now - datetime.timedelta(minutes=5))
    undeclared = undeclared_task.enqueue()
    claimed(undeclared.id, "worker-d", now - datetime.timedelta(hours=2))

    report = run_sweep()
    call_command("db_worker", batch=True, startup_delay=False, interval=0, worker_id="worker-b", verbosity=0)

    assert report.tasks_requeued == 1
    rerun = DBTaskResult.objects.get(pk=killed.id)
    assert (rerun.status, rerun.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["worker-a", "worker-b"])
    certificate = Certificate.objects.get(completion__enrollment__user__username="killed")
    assert certificate.is_issued
    assert certificate.sha256
    # A task still within its time is someone's work in progress; a task nobody declared rerunnable is left alone.
    assert DBTaskResult.objects.get(pk=busy.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=undeclared.id).status == TaskResultStatus.RUNNING
    assert not Certificate.objects.filter(completion__enrollment__user__username="busy").exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_sweep_finds_nothing_more_to_queue_again(settings):
    settings.TASKS = DATABASE_QUEUE
    course = make_course(make_training_site(), "Once")
    killed = issue_certificate.enqueue(completion_of("killed", course).pk)
    claimed(killed.id, "worker-a", timezone.now() - datetime.timedelta(hours=2))

    assert (run_sweep().tasks_requeued, run_sweep().tasks_requeued) == (1, 0)
    assert DBTaskResult.objects.get(pk=killed.id).status == TaskResultStatus.READY
