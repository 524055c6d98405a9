from django.db import transaction
from django.db.models.signals import post_migrate

from courses.signals import sweep_finished
from reminders.models import ReminderWording
from reminders.queueing import queue_reminders
from reminders.tasks import send_reminders


def queue_after_sweep(sender, day, **kwargs) -> None:
    """After the daily sweep: queue the day's reminders, then, if any are new, have a worker send them.

    Reminders waiting for a retry need no new task: the sending task schedules its own next run."""
    report = queue_reminders(day)
    if report.reminders or report.digests:
        transaction.on_commit(send_reminders.enqueue)


def store_shipped_wording(sender, using, **kwargs) -> None:
    """Trainers find every kind's wording in each language in the admin, ready to edit."""
    ReminderWording.objects.using(using).add_missing()


def connect(app_config) -> None:
    sweep_finished.connect(queue_after_sweep, dispatch_uid="reminders_queue_after_sweep")
    post_migrate.connect(store_shipped_wording, sender=app_config, dispatch_uid="reminders_shipped_wording")
