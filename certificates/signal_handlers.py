from certificates.tasks import issue_certificate
from courses.models import CourseCompletion
from courses.signals import course_completed


def issue_on_completion(sender, completion: CourseCompletion, **kwargs) -> None:
    """Each completion gets its certificate in a task: the signal comes after the completion commits."""
    issue_certificate.enqueue(completion.pk)


def connect() -> None:
    course_completed.connect(issue_on_completion, dispatch_uid="certificates_issue_on_completion")
