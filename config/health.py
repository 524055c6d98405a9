"""``/healthz``: whether this web process reaches the database and the task workers keep up."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the figures when healthy; 503 when the database is unreachable or the oldest task waiting to
    run has waited longer than ``TRAINING_TASK_LAG_LIMIT`` seconds (no worker running, or too few)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    except DatabaseError as error:
        return JsonResponse({"database": "unreachable", "error": error.__class__.__name__}, status=503)
    lag = 0.0
    if oldest is not None:
        enqueued_at, run_after = oldest
        waiting_since = max(enqueued_at, run_after) if run_after.year < 9999 else enqueued_at
        lag = max(0.0, (timezone.now() - waiting_since).total_seconds())
    limit = getattr(settings, "TRAINING_TASK_LAG_LIMIT", 300)
    healthy = lag <= limit
    return JsonResponse(
        {"database": "ok", "task_queue_lag_seconds": round(lag, 1), "task_queue": "ok" if healthy else "lagging"},
        status=200 if healthy else 503,
    )
