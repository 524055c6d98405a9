"""Pages and sites found for a request, remembered by each process until the page tree changes.

Contract: :func:`remembered` gives what ``find()`` would give now, as long as every change to
pages, sites and locales goes through the ORM's signals. Each process keeps what it found under
the tree's *version*, a token in the cache ``TRAINING_PAGE_MEMORY_CACHE`` names, which every web
process must share (as Wagtail's site root paths do the default cache); ``None`` there turns the
memory off. :func:`tree_changed` replaces the token when a page is saved, deleted, published,
unpublished, moved or renamed, or a site or locale is saved or deleted (connected in
``courses.signal_handlers``), at once and again when the transaction commits, so each process
finds its pages again at its next request. Code that changes pages with a queryset's
``update()`` calls :func:`tree_changed` itself.
"""

import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction

from courses.conf import get_setting

VERSION_KEY = "training:page-tree-version"
#: At most this many lookups are kept; past it, the process starts again.
MAX_REMEMBERED = 2000

_found: dict[Hashable, Any] = {}
_found_under: dict[str, str | None] = {"version": None}


def _cache() -> BaseCache | None:
    name = get_setting("PAGE_MEMORY_CACHE")
    return caches[name] if name else None


def tree_version() -> str:
    """The page tree's current version, made when there is none (a cache emptied or restarted)."""
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def tree_changed(**kwargs) -> None:
    """Move the tree's version on, now and once the change is committed: what any process found is dropped.

    Now, so that this process does not serve what it had; on commit, so that nothing another
    process read before the commit outlives it.
    """
    cache = _cache()
    if cache is None:
        return
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def remembered(key: Hashable, find: Callable[[], Any]) -> Any:
    """What ``find()`` gives, found once per process and tree version. Treat it as read-only."""
    if _cache() is None:
        return find()
    version = tree_version()
    if _found_under["version"] != version or len(_found) >= MAX_REMEMBERED:
        _found.clear()
        _found_under["version"] = version
    if key not in _found:
        _found[key] = find()
    return _found[key]
