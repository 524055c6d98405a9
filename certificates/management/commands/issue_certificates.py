from django.core.management.base import BaseCommand

from certificates import issuing
from certificates.tasks import queue_pending


class Command(BaseCommand):
    help = (
        "Give every course completion without a certificate a pending one, and queue the rendering of every "
        "pending certificate (the retry after a rendering failure). A task worker renders them."
    )

    def handle(self, *args, **options):
        created = issuing.create_missing()
        queued = queue_pending()
        self.stdout.write(f"{created} certificates created, {queued} pending certificates queued for rendering.")
