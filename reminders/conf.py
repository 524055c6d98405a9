"""Settings of the reminders app.

Every setting has the prefix ``TRAINING_`` and its default here; read them with :func:`get_setting`.
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # When reminders go out, counted in days from a cycle's due date. A course can override it in the admin
    # (Training > Reminder schedules).
    "REMINDER_SCHEDULE": {
        # Reminders to the learner this many days before the due date; one more on the due day.
        "days_before": [30, 14, 7, 1],
        # Then one every this many days while overdue, at most this many times.
        "overdue_every_days": 7,
        "overdue_limit": 4,
        # A copy to the learner's manager on the due day.
        "copy_manager": True,
        # One message to the manager's manager once this many days overdue (0: never).
        "escalate_after_days": 14,
    },
    # The day of the week managers' weekly digests are queued (0 Monday ... 5 Saturday, 6 Sunday); a sweep
    # later in the week queues the week's digest if that day's sweep did not run.
    "REMINDER_DIGEST_WEEKDAY": 5,
    # Delivery: the MAILERS alias, messages per worker batch, and retries after a failed send.
    "REMINDER_MAILER": "default",
    "REMINDER_BATCH_SIZE": 100,
    "REMINDER_MAX_ATTEMPTS": 8,
    # Minutes before the first retry; each later retry waits twice as long as the one before.
    "REMINDER_RETRY_MINUTES": 5,
    # How long a worker holds the messages it picked; a worker killed mid-batch leaves them for another after it.
    "REMINDER_LEASE_MINUTES": 10,
    # The team report linked from managers' digests: a URL name or a path; None links the enrolments listing.
    "TEAM_REPORT_URL": None,
}


def get_setting(name: str) -> Any:
    """The value of ``TRAINING_<name>``, or its default."""
    return getattr(settings, f"TRAINING_{name}", DEFAULTS[name])
