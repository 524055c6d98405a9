"""Tasks whose worker died in the middle of them, queued again.

Contract: django-tasks-db's ``db_worker`` marks a task it takes as running, and nothing moves it on
if the worker dies mid-task (killed, out of memory, the machine restarted): the task would stay
"running" and its work would never be done. :func:`requeue_stale_tasks`, which the daily sweep runs,
puts back in the queue each task that has been running for longer than
``TRAINING_STALE_TASK_MINUTES`` and that its app declared safe to run again, so that another worker
runs it. Apps declare such tasks through the hook :data:`RERUNNABLE_TASKS_HOOK`: a function returning
tasks whose second run does not repeat what a first, interrupted run did (issuing a certificate,
sending the reminders not yet sent, the sweep itself). Other tasks are left as they are.

Other task backends keep their own promises: with them nothing here applies, and nothing is done.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.tasks import TaskResultStatus
from django.utils import timezone
from wagtail import hooks

from courses.conf import get_setting

#: Hook name: a function returning the app's tasks that may run again after a worker died in them.
RERUNNABLE_TASKS_HOOK = "register_training_rerunnable_tasks"


def rerunnable_task_paths() -> list[str]:
    """The import paths of the tasks the apps declared safe to run again."""
    return [task.module_path for declare in hooks.get_hooks(RERUNNABLE_TASKS_HOOK) for task in declare()]


def requeue_stale_tasks(now: datetime.datetime | None = None) -> int:
    """Queue again each rerunnable task that has run for longer than the stale limit; return how many."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    started_before = (now or timezone.now()) - datetime.timedelta(minutes=get_setting("STALE_TASK_MINUTES"))
    stale = apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=started_before, task_path__in=rerunnable_task_paths()
    )
    return stale.update(status=TaskResultStatus.READY, started_at=None)
