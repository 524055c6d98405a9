"""Two sweeps at once queue each reminder once (PostgreSQL; SQLite lets one writer in at a time)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from courses.refreshers import run_sweep
from reminders.models import Reminder

from .conftest import on
from .test_life import Organisation


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_queue_each_reminder_once(yearly_course):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; sweeps at once are tested on PostgreSQL.")
    start = threading.Barrier(2)
    reports = []

    def sweep():
        try:
            start.wait()
            reports.append(run_sweep())
        finally:
            connection.close()

    with on("2026-01-28"):  # a week before the learners' first due date, in the week of a digest
        Organisation()
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        queued = list(Reminder.objects.values_list("cycle_id", "step", "recipient__username", "kind"))
        run_sweep()

    assert sorted(Counter((username, kind) for _cycle, _step, username, kind in queued).items()) == [
        (("director", "digest"), 1),
        (("mehdi", "digest"), 1),
        (("omid", "before_due"), 1),
        (("sara", "before_due"), 1),
    ]
    assert len(reports) == 2  # neither sweep failed
    assert Reminder.objects.count() == len(queued)
