"""Settings of the training apps.

Every setting has the prefix ``TRAINING_`` and its default here; read them with
:func:`get_setting` so a site only sets what it wants to change.
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The template the training pages extend: the host site's own base template, or their own
    # page layout. A host's template places the blocks training_head, training_header and
    # training_messages (see the README); it needs the context processor
    # courses.context_processors.training.
    "BASE_TEMPLATE": "courses/layout.html",
    # Pass mark, in percent, given to a new course.
    "DEFAULT_PASS_MARK": 80,
    # Days before a due date from which the dashboard calls the course "due soon".
    "DUE_SOON_DAYS": 7,
    # The onboarding rule that load_training_modules installs applies to staff hired at most
    # this many days before it runs, and to everyone hired after.
    "NEW_HIRE_DAYS": 90,
    # The longest reflection a learner may submit, in characters.
    "REFLECTION_MAX_LENGTH": 5000,
    # How many submissions one learner may make in a minute, across every activity; counted in
    # the cache named by ATTEMPT_RATE_CACHE, which must be shared by every web process.
    "ATTEMPTS_PER_MINUTE": 30,
    "ATTEMPT_RATE_CACHE": "default",
    # Each web process remembers the pages it routes to, and the site, until the page tree changes;
    # the tree's version is kept in this cache, which must be shared by every web process. None:
    # remember nothing, look everything up on every request.
    "PAGE_MEMORY_CACHE": "default",
    # A task the database queue shows running for longer than this many minutes lost its worker
    # (killed mid-task): the daily sweep puts it back in the queue, if its app declared it safe to
    # run again (see courses.task_recovery).
    "STALE_TASK_MINUTES": 60,
}


def get_setting(name: str) -> Any:
    """The value of ``TRAINING_<name>``, or its default."""
    return getattr(settings, f"TRAINING_{name}", DEFAULTS[name])
