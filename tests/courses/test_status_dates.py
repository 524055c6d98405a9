"""The date that goes with a status is a date on every database."""

import datetime

import pytest

from courses.models import CourseCompletion, Enrollment, Status
from courses.models.policy import Validity

COMPLETED = datetime.date(2025, 3, 10)
VALIDITY = Validity(
    valid_from=COMPLETED,
    until=datetime.date(2026, 3, 9),
    refresher_opens_on=datetime.date(2026, 2, 7),
    grace_until=datetime.date(2026, 3, 23),
)


@pytest.mark.parametrize(
    ("on", "status", "status_date"),
    [
        (datetime.date(2025, 6, 1), Status.VALID, VALIDITY.until),
        (datetime.date(2026, 2, 10), Status.REFRESHER_DUE, VALIDITY.until),
        (datetime.date(2026, 3, 15), Status.IN_GRACE, VALIDITY.grace_until),
        (datetime.date(2026, 4, 1), Status.EXPIRED, datetime.date(2026, 3, 24)),
    ],
)
def test_each_status_comes_with_its_date(course, learner, on, status, status_date):
    enrollment, _ = Enrollment.objects.enrol(learner, course, source=Enrollment.Source.SELF)
    completion = CourseCompletion(
        enrollment=enrollment, cycle=1, completed_at=datetime.datetime(2025, 3, 10, 10, tzinfo=datetime.UTC)
    )
    completion.set_validity(VALIDITY)
    completion.save()

    annotated = Enrollment.objects.with_status(on).get(pk=enrollment.pk)

    assert (annotated.status, annotated.status_date) == (status, status_date)
    assert type(annotated.status_date) is datetime.date
