"""Learner pages stay out of shared caches; every page carries a Content-Security-Policy and secure headers."""

import pytest

from courses.models import Enrollment


@pytest.fixture
def enrolled(course, learner):
    return Enrollment.objects.enrol(learner, course, source="self")[0]


def learner_urls(course):
    lesson = course.get_children().first()
    return ["/my-training/", "/fa/my-training/", "/", course.url, lesson.url]


def test_pages_showing_a_learners_records_are_private_and_not_stored(learner_client, enrolled, course):
    for url in learner_urls(course):
        response = learner_client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert "public" not in directives, url


def test_a_course_page_seen_anonymously_is_private_to_the_browser(client, course):
    response = client.get(course.url)

    assert "private" in response["Cache-Control"]


def test_learner_pages_allow_only_the_sites_own_scripts(learner_client, enrolled, course):
    for url in learner_urls(course):
        policy = learner_client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'self'"
        assert directives["base-uri"] == "'self'"


def test_the_admin_allows_its_inline_scripts_and_nothing_from_elsewhere(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["default-src"] == "'self'"


def test_secure_headers_on_every_page(client, course):
    for url in ["/accounts/login/", "/admin/login/", course.url]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "Content-Security-Policy" in response
