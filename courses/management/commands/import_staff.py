from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.staff_import import apply_plan, plan_import


class Command(BaseCommand):
    help = (
        "Import staff from an HR export (CSV): create and update accounts and staff profiles. "
        "A file with any bad row imports nothing; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file: UTF-8, comma or semicolon separated.")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Deactivate the active staff the file leaves out (the file is a full export).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print what would change and write nothing.")

    def handle(self, *args, file: Path, deactivate_missing: bool, dry_run: bool, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        plan = plan_import(content, deactivate_missing=deactivate_missing)
        if not plan.is_valid:
            lines = [f"{file} has {len(plan.errors)} problem(s); nothing was imported:", *map(str, plan.errors)]
            raise CommandError("\n".join(lines))
        for column in plan.ignored_columns:
            self.stdout.write(f"Ignored column: {column}")
        for row in plan.creates:
            self.stdout.write(f"Create (line {row.line}): {row.username}")
        for change in plan.changes:
            self.stdout.write(f"Change (line {change.row.line}): {change.row.username}: {change.describe()}")
        for username in plan.deactivations:
            self.stdout.write(f"Deactivate: {username}")
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: {plan.summary()}")
            return
        apply_plan(plan)
        self.stdout.write(self.style.SUCCESS(f"Imported: {plan.summary()}"))
