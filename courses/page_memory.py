"""Training content found for a request, remembered by each process until that content changes.

Contract: :func:`remembered` gives what ``find()`` would give now, as long as every change to
pages, their view restrictions, sites, locales and activities goes through the ORM's signals.
Each process keeps what it found under the content's *version*, a token in the cache
``TRAINING_PAGE_MEMORY_CACHE`` names, which every web process must share (as Wagtail's site root
paths do the default cache); ``None`` there turns the memory off. :func:`tree_changed` replaces
the token when a page is saved, deleted, published, unpublished, moved, renamed or restricted, a
site or locale is saved or deleted, or an activity or its place in a lesson is saved or deleted
(connected in ``courses.signal_handlers``), at once and again when the transaction commits, so
each process finds its content again at its next request. Code that changes these with a
queryset's ``update()`` calls :func:`tree_changed` itself.

Inside :func:`one_version` (``courses.middleware`` wraps each request in it) the version is read
from the cache once: every lookup of the request agrees, and a shared cache on a database costs
one read a request, not one a lookup.
"""

import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction

from courses.conf import get_setting

VERSION_KEY = "training:page-tree-version"
#: At most this many lookups are kept; past it, the process starts again.
MAX_REMEMBERED = 2000

_found: dict[Hashable, Any] = {}
_found_under: dict[str, str | None] = {"version": None}
#: The version read for the request in progress (None outside :func:`one_version`).
_request_version: ContextVar[str | None] = ContextVar("training_content_version", default=None)


def _cache() -> BaseCache | None:
    name = get_setting("PAGE_MEMORY_CACHE")
    return caches[name] if name else None


def tree_version() -> str:
    """The content's current version, made when there is none (a cache emptied or restarted)."""
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


@contextmanager
def one_version() -> Iterator[None]:
    """Read the version once for every lookup inside; a change made inside moves it on for them too."""
    token = _request_version.set(tree_version() if _cache() is not None else None)
    try:
        yield
    finally:
        _request_version.reset(token)


def tree_changed(**kwargs) -> None:
    """Move the version on, now and once the change is committed: what any process found is dropped.

    Now, so that this process does not serve what it had; on commit, so that nothing another
    process read before the commit outlives it.
    """
    cache = _cache()
    if cache is None:
        return
    _new_version(cache)
    transaction.on_commit(lambda: _new_version(cache))


def _new_version(cache: BaseCache) -> None:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    if _request_version.get() is not None:
        _request_version.set(version)


def remembered(key: Hashable, find: Callable[[], Any]) -> Any:
    """What ``find()`` gives, found once per process and version. Treat it as read-only."""
    if _cache() is None:
        return find()
    version = _request_version.get() or tree_version()
    if _found_under["version"] != version or len(_found) >= MAX_REMEMBERED:
        _found.clear()
        _found_under["version"] = version
    if key not in _found:
        _found[key] = find()
    return _found[key]
