"""axe-core finds no critical, serious or moderate violation on the learner's pages, in English and Persian."""

import pytest

from courses.content import install_training_modules
from courses.models import CoursePage, Enrollment
from courses.testing import make_user
from tests.browser.axe import violations
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    """The site's Content-Security-Policy would refuse the injected axe script; only the checker is let in."""
    return {**browser_context_args, "bypass_csp": True}


def test_the_learner_pages_have_no_blocking_violations(page, live_server, site):
    install_training_modules()
    learner = make_user("leila")
    for course in CoursePage.objects.canonical():
        Enrollment.objects.enrol(learner, course, source="self")
    found = []

    page.goto(f"{live_server.url}/accounts/login/")
    found += violations(page)
    page.goto(f"{live_server.url}/fa/accounts/login/")
    found += violations(page)
    log_in(page, live_server, "leila")
    urls = ["/my-training/", "/fa/my-training/", "/", "/fa/"]
    for course in CoursePage.objects.live().order_by("path"):
        urls.append(course.url)
        urls += [lesson.url for lesson in course.lessons()]
    for url in urls:
        page.goto(live_server.url + url)
        found += violations(page)

    assert found == [], "\n".join(found)
