from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page, Site

from courses.content import ContentError, install_training_modules


class Command(BaseCommand):
    help = (
        "Install the courses of every installed training module, in every content language they are written in, "
        "under a training index page. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parent",
            help="Where a new training index goes: a page's id or its URL path on the default site, such as /about/. "
            "Default: the site's home page.",
        )
        parser.add_argument(
            "--slug", help="The slug of a new training index. Default: 'training', or the first free 'training-N'."
        )

    def handle(self, *args, parent=None, slug=None, **options):
        try:
            report = install_training_modules(parent=self.find_parent(parent) if parent else None, slug=slug)
        except ContentError as error:
            raise CommandError(str(error)) from error
        for item in report.created:
            self.stdout.write(f"Installed {item}")
        for item in report.skipped:
            self.stdout.write(f"Already installed, left as it is: {item}")
        if not report.created:
            self.stdout.write(self.style.SUCCESS("Nothing to install."))
        self.stdout.write(f"Training index: {report.index}")
        for item in report.to_do:
            self.stdout.write(self.style.WARNING(item))

    def find_parent(self, parent: str) -> Page:
        """The page given by id, or by URL path on the default site."""
        if parent.isdigit():
            page = Page.objects.filter(pk=int(parent)).first()
        else:
            root = Site.objects.get(is_default_site=True).root_page
            path = "/".join(part for part in parent.split("/") if part)
            page = Page.objects.filter(url_path=f"{root.url_path}{path}/" if path else root.url_path).first()
        if page is None:
            raise CommandError(f"No page {parent!r}: give a page's id or its URL path, such as / or /about/.")
        return page.specific
