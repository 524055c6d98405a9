"""Background tasks of the reminders app, run by a task worker (``manage.py db_worker``)."""

from django.tasks import task
from django.utils import timezone

from reminders.models import Reminder
from reminders.sending import send_queued


@task
def send_reminders() -> dict[str, int]:
    """Send the queued reminders (see ``reminders.sending``); if some wait for a retry, run again when the first
    is due."""
    report = send_queued()
    waiting = Reminder.objects.filter(state=Reminder.State.QUEUED).order_by("next_attempt_at").first()
    if waiting and send_reminders.get_backend().supports_defer:
        send_reminders.using(run_after=max(waiting.next_attempt_at, timezone.now())).enqueue()
    return report.counts()
