"""Middleware for the training pages."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Site

from courses.page_memory import one_version, remembered


class RememberedSiteMiddleware:
    """Give Wagtail the request's site, with its root page, from what this process remembers.

    Wagtail looks the site up for every page it serves, then the root page as its own type: two
    queries that seldom change. Each process remembers them per host and port until a page, site
    or locale changes (``courses.page_memory``), and reads the memory's version once for the whole
    request. Optional: without it, Wagtail looks them up, and each lookup reads the version.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()

        def find() -> Site | None:
            site = Site._find_for_request(request)
            if site is not None:
                # As its own type: a training index finds its translation for routing from what is remembered.
                site.root_page = site.root_page.specific
            return site

        with one_version():
            # Site.find_for_request reads this attribute before it looks anything up.
            request._wagtail_site = remembered(("site", hostname, port), find)
            return self.get_response(request)
