from certificates.tasks import issue_certificate, queue_pending
from courses.models import CourseCompletion
from courses.signals import course_completed, sweep_finished


def issue_on_completion(sender, completion: CourseCompletion, **kwargs) -> None:
    """Each completion gets its certificate in a task: the signal comes after the completion commits."""
    issue_certificate.enqueue(completion.pk)


def retry_pending_after_sweep(sender, day, **kwargs) -> None:
    """Once a day, each certificate still pending (its rendering failed) is queued to render again."""
    queue_pending()


def connect() -> None:
    course_completed.connect(issue_on_completion, dispatch_uid="certificates_issue_on_completion")
    sweep_finished.connect(retry_pending_after_sweep, dispatch_uid="certificates_retry_pending_after_sweep")
