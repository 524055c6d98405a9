import datetime

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, Enrollment
from courses.testing import make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Certificate files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def persian_learner(db):
    return make_user(
        "sara",
        first_name="Sara",
        last_name="Rezaei",
        email="sara@example.com",
        profile={"persian_name": "سارا رضایی", "preferred_language": "fa"},
    )


@pytest.fixture
def english_learner(db):
    return make_user(
        "tom", first_name="Tom", last_name="Baker", profile={"persian_name": "تام بیکر", "preferred_language": "en"}
    )


def complete(user, course, cycle: int = 1, days_ago: int = 0, valid_days: int | None = 365) -> CourseCompletion:
    """Record that ``user`` completed ``course`` in ``cycle``, ``days_ago`` days ago (no certificate yet)."""
    enrollment, _ = Enrollment.objects.enrol(user, course, source=Enrollment.Source.SELF)
    completed_at = timezone.now() - datetime.timedelta(days=days_ago)
    valid_until = None if valid_days is None else timezone.localdate(completed_at) + datetime.timedelta(valid_days)
    return CourseCompletion.objects.create(
        enrollment=enrollment, cycle=cycle, completed_at=completed_at, valid_until=valid_until
    )


@pytest.fixture
def completion(persian_learner, course):
    return complete(persian_learner, course)
