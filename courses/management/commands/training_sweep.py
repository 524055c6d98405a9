import datetime

from django.core.management.base import BaseCommand, CommandError

from courses.refreshers import run_sweep
from courses.tasks import daily_sweep


class Command(BaseCommand):
    help = (
        "The daily sweep: apply assignment rules, open refresher cycles, count who fell overdue or expired. "
        "Safe to run any number of times, and at the same time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sweep for a task worker instead of running it here."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Sweep as of this day (YYYY-MM-DD) instead of today: to catch up on a missed day.",
        )

    def handle(self, *args, enqueue: bool, date: datetime.date | None, **options):
        if enqueue:
            if date:
                raise CommandError("--date and --enqueue do not go together: a queued sweep runs as of its own day.")
            result = daily_sweep.enqueue()
            self.stdout.write(f"Queued the sweep as task {result.id}.")
            return
        report = run_sweep(date)
        self.stdout.write(f"Sweep of {report.day.isoformat()}:")
        for name, count in report.counts().items():
            self.stdout.write(f"  {name}: {count}")
