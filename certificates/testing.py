"""Builders for tests and benchmarks of certificates. Shipped with the app, like ``courses.testing``."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CourseCompletion


def make_issued_certificates(completions: QuerySet[CourseCompletion], *, batch_size: int = 5000) -> list[Certificate]:
    """An issued certificate (without a file) for each of ``completions``, written in bulk, as issuing would have
    left them: each enrolment's newest certificate current, its earlier ones superseded when the next was issued."""
    completions = list(
        completions.select_related("enrollment__user", "enrollment__course").order_by("enrollment", "cycle")
    )
    certificates = []
    for position, completion in enumerate(completions):
        following = completions[position + 1] if position + 1 < len(completions) else None
        newer = following if following and following.enrollment_id == completion.enrollment_id else None
        user, course = completion.enrollment.user, completion.enrollment.course
        name = user.get_full_name() or user.get_username()
        certificates.append(
            Certificate(
                completion=completion,
                state=Certificate.State.ISSUED,
                holder_name=name,
                course_title=course.title,
                printed_names={"en": {"name": name, "course": course.title}},
                completed_on=timezone.localdate(completion.completed_at),
                expires_on=completion.valid_until,
                language="en",
                sha256="0" * 64,
                created_at=completion.completed_at,
                issued_at=completion.completed_at + datetime.timedelta(minutes=1),
                superseded_at=newer.completed_at + datetime.timedelta(minutes=1) if newer else None,
            )
        )
    return Certificate.objects.bulk_create(certificates, batch_size=batch_size)
