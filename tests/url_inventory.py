"""Every URL of the site, for tests that check each one (an authorization matrix, for example).

:func:`url_patterns` walks the URL resolver, admin included; :func:`page_urls` walks the page
tree, with each routable page's own sub-routes. A test that keeps a table of expectations per
URL can compare it with these lists, so that a new URL without a row fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full regex-free route, its name (with namespaces) and its view's dotted path."""

    route: str
    name: str | None
    view: str


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every pattern the resolver knows, flattened, in the order Django tries them."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += url_patterns(entry, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback.__class__.__name__)}"
            name = f"{namespace}{entry.name}" if entry.name else None
            routes.append(Route(prefix + str(entry.pattern), name, view))
    return routes


def page_urls() -> list[str]:
    """The URL of every page in the tree that has one, and of each routable page's sub-routes
    (with ``<int:...>`` parameters left as written)."""
    urls = []
    for page in Page.objects.exclude(depth=1).specific().order_by("path"):
        url = page.get_url()
        if not url:
            continue
        urls.append(url)
        if isinstance(page, RoutablePageMixin):
            for pattern in page.get_subpage_urls():
                route = str(pattern.pattern)
                if route:
                    urls.append(url + route)
    return urls
