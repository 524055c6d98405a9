"""Background tasks of the certificates app, run by a task worker (``manage.py db_worker``)."""

from django.tasks import task

from certificates import issuing
from certificates.models import Certificate
from courses.models import CourseCompletion


@task
def issue_certificate(completion_id: int) -> str:
    """Issue the certificate of a completion (see ``issuing.issue_for_completion``); return its state."""
    completion = CourseCompletion.objects.select_related("enrollment__course", "enrollment__user").get(pk=completion_id)
    return issuing.issue_for_completion(completion).state


@task
def render_certificate(certificate_id: int) -> str:
    """Render a pending certificate (a retry, or a re-issue); return its state."""
    certificate = Certificate.objects.select_related("template_revision").get(pk=certificate_id)
    if not certificate.is_issued:
        issuing.render_pending(certificate)
    return certificate.state


def queue_pending() -> int:
    """Queue the rendering of every pending certificate; return how many."""
    pending = list(Certificate.objects.pending().values_list("pk", flat=True))
    for pk in pending:
        render_certificate.enqueue(pk)
    return len(pending)
