"""How fast one learner may submit answers.

Contract: :func:`allow_submission` counts a learner's submissions in fixed one-minute windows
in the cache named by ``TRAINING_ATTEMPT_RATE_CACHE`` and refuses the ones past
``TRAINING_ATTEMPTS_PER_MINUTE``. The count lives in that cache, so the limit holds across
web processes only if the cache is shared by them (the database or Redis, not local memory).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.core.cache import caches

from courses.conf import get_setting

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def allow_submission(user: AbstractBaseUser) -> bool:
    """Count one submission by ``user``; whether it is within the limit of this minute."""
    cache = caches[get_setting("ATTEMPT_RATE_CACHE")]
    window = int(time.time() // 60)
    key = f"training:submissions:{user.pk}:{window}"
    # add() is atomic where the cache is shared: the first request of the minute creates the counter.
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=120)
        count = 1
    return count <= get_setting("ATTEMPTS_PER_MINUTE")
