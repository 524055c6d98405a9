"""Background tasks of the training apps, run by a task worker (``manage.py db_worker``)."""

from django.tasks import task

from courses.refreshers import run_sweep


@task
def daily_sweep() -> dict[str, int]:
    """Run the daily sweep (see ``courses.refreshers.run_sweep``) and return its counts."""
    report = run_sweep()
    return report.counts()
