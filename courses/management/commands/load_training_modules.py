from django.core.management.base import BaseCommand, CommandError

from courses.content import ContentError, install_training_modules


class Command(BaseCommand):
    help = "Install the courses of every installed training module, in every content language. Safe to run again."

    def handle(self, *args, **options):
        try:
            report = install_training_modules()
        except ContentError as error:
            raise CommandError(str(error)) from error
        for item in report.created:
            self.stdout.write(f"Installed {item}")
        for item in report.skipped:
            self.stdout.write(f"Already installed, left as it is: {item}")
        if not report.created:
            self.stdout.write(self.style.SUCCESS("Nothing to install."))
