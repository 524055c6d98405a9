"""The site's URLs plus ``/bench/floor/``: the framework's own floor for ``bench/pages.py``.

The floor is what any page of the site costs before it does anything of its own: the same
middleware, the session and the user, one query and a small template with the same context
processors. Only ``bench/pages.py`` routes to it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from courses.models import Enrollment

FLOOR_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="en"><title>Floor</title><main><p>{{ user.get_username }}: {{ enrolled }}</p></main>'
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A logged-in page with one query of its own and a small template."""
    enrolled = Enrollment.objects.filter(user=request.user).count()
    return HttpResponse(FLOOR_TEMPLATE.render({"enrolled": enrolled}, request))


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
