"""The training pages wear the host site's look when TRAINING_BASE_TEMPLATE names its base template."""

import copy

import pytest
from django.test import Client

HOST_BASE = """<!doctype html>
<html><head><title>{% block title %}{% endblock %} | Host</title>{% block training_head %}{% endblock %}</head>
<body><div id="host-header">Host site</div>
{% block training_header %}{% endblock %}{% block training_messages %}{% endblock %}
<div id="host-content">{% block content %}{% endblock %}</div></body></html>
"""


@pytest.fixture
def host_base(settings, tmp_path):
    (tmp_path / "host_base.html").write_text(HOST_BASE)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path]
    settings.TEMPLATES = templates
    settings.TRAINING_BASE_TEMPLATE = "host_base.html"


def test_the_training_pages_have_their_own_look_by_default(client, course):
    html = client.get(course.url).content.decode()

    assert 'class="skip-link"' in html
    assert 'class="site-header"' in html
    assert "Host site" not in html


def test_a_host_base_template_gets_the_training_navigation_and_content(host_base, learner_client, course):
    html = learner_client.get(course.url).content.decode()

    assert '<div id="host-header">Host site</div>' in html
    assert "Listening basics | Host</title>" in html
    assert "courses/css/training.css" in html
    assert 'class="site-nav"' in html
    assert "My training" in html
    assert 'class="language-switcher"' in html
    content = html.split('<div id="host-content">')[1]
    assert "<h1>Listening basics</h1>" in content
    assert 'class="skip-link"' not in html


def test_the_dashboard_and_login_wear_the_host_look_too(host_base, index, learner_client):
    assert "Host site" in Client().get("/accounts/login/").content.decode()
    dashboard = learner_client.get("/my-training/").content.decode()
    assert "Host site" in dashboard
    assert f'<a href="{index.url}">Browse the courses</a>' in dashboard


def test_a_site_in_one_language_has_no_language_switcher(settings, client, course):
    assert 'class="language-switcher"' in client.get(course.url).content.decode()

    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]

    assert 'class="language-switcher"' not in client.get(course.url).content.decode()
