"""The demo's past completions hold their certificates once the task worker has run."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from certificates.models import Certificate
from courses.models import CourseCompletion


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(DEBUG=True):
        call_command("load_demo")


def test_every_past_completion_has_an_issued_certificate(demo):
    assert CourseCompletion.objects.exists()
    assert not CourseCompletion.objects.filter(certificates__isnull=True).exists()
    assert not Certificate.objects.pending().exists()


def test_refreshed_staff_hold_a_current_and_a_superseded_certificate(demo):
    elham = Certificate.objects.filter(completion__enrollment__user__username="elham").with_status()
    first_course = elham.order_by("completion__enrollment__course__path").first().completion.enrollment.course
    statuses = elham.filter(completion__enrollment__course=first_course).order_by("completion__cycle")

    assert next(iter(statuses.values_list("status", flat=True))) == Certificate.Status.SUPERSEDED
    assert list(statuses.values_list("status", flat=True))[1] != Certificate.Status.SUPERSEDED
    assert set(elham.values_list("language", flat=True)) == {"fa"}
    assert elham.first().holder_name == "الهام زارع"
    veteran = Certificate.objects.filter(completion__enrollment__user__username="veteran")
    assert veteran.count() == 4
    assert set(veteran.values_list("language", "holder_name")) == {("en", "Vahid Sadeghi")}
