"""The URL inventory lists the site's URLs, ready for tests that check each one."""

from courses.models import Enrollment  # noqa: F401 (the page tree needs the models loaded)
from tests.url_inventory import page_urls, url_patterns


def test_the_inventory_holds_the_learner_and_admin_urls():
    routes = url_patterns()
    names = {route.name for route in routes}

    assert {"courses:dashboard", "login", "healthz", "wagtailadmin_home"} <= names
    assert any(route.route.startswith("admin/") and "users" in route.route for route in routes)
    assert len(routes) == len(set(routes))


def test_the_inventory_holds_every_page_and_its_sub_routes(course):
    lesson = course.get_children().first()

    urls = page_urls()

    assert course.url in urls
    assert lesson.url in urls
    assert f"{course.url}enrol/" in urls
    assert f"{lesson.url}activities/<int:activity_id>/" in urls
