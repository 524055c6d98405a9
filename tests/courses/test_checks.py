"""manage.py check names each setting a host site must give the training apps, with a hint."""

import copy
import uuid

import pytest
from django.conf import global_settings, settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import clear_url_caches

from courses import checks

BILINGUAL = [("en", "English"), ("fa", "Persian")]


def ids(problems) -> list[str]:
    return [problem.id for problem in problems]


@pytest.mark.parametrize(
    "check",
    [
        checks.check_installed_apps,
        checks.check_languages,
        checks.check_urls,
        checks.check_base_template,
        checks.check_task_backend,
    ],
)
def test_the_demo_settings_pass_every_check(check):
    assert check(None) == []


def test_a_missing_locale_middleware_is_named():
    middleware = [name for name in settings.MIDDLEWARE if name != checks.LOCALE_MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        problems = checks.check_languages(None)
    assert ids(problems) == ["courses.E002"]
    assert checks.LOCALE_MIDDLEWARE in problems[0].hint


def test_djangos_hundred_languages_are_refused():
    with override_settings(LANGUAGES=global_settings.LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=None):
        problems = checks.check_languages(None)
    assert ids(problems) == ["courses.E003"]
    assert "LANGUAGES" in problems[0].hint


def test_several_languages_need_wagtail_i18n():
    with override_settings(LANGUAGES=BILINGUAL, WAGTAIL_I18N_ENABLED=False):
        assert ids(checks.check_languages(None)) == ["courses.E004"]


def test_every_language_must_be_a_content_language():
    with override_settings(LANGUAGES=BILINGUAL, WAGTAIL_CONTENT_LANGUAGES=[("en", "English")]):
        problems = checks.check_languages(None)
    assert ids(problems) == ["courses.E005"]
    assert "'fa'" in problems[0].msg


def test_wagtail_locales_is_recommended_for_several_languages(monkeypatch):
    leave_out(monkeypatch, "wagtail.locales")
    assert ids(checks.check_languages(None)) == ["courses.W001"]


def test_the_apps_the_training_apps_build_on_are_named(monkeypatch):
    leave_out(monkeypatch, "polymorphic")
    assert ids(checks.check_installed_apps(None)) == ["courses.E001"]


def leave_out(monkeypatch, app_name: str) -> None:
    """Have the checks see INSTALLED_APPS without ``app_name`` (changing the setting reloads every app)."""
    is_installed = checks.apps.is_installed
    monkeypatch.setattr(checks.apps, "is_installed", lambda name: name != app_name and is_installed(name))


def test_an_english_only_site_in_en_us_needs_nothing_more():
    with override_settings(
        LANGUAGE_CODE="en-us",
        LANGUAGES=[("en-us", "English")],
        WAGTAIL_I18N_ENABLED=False,
        WAGTAIL_CONTENT_LANGUAGES=None,
    ):
        assert checks.check_languages(None) == []


@pytest.fixture
def urlconf(settings, tmp_path, monkeypatch):
    """Install a URLconf written by the test: ``urlconf(text)``."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(body: str) -> None:
        name = f"host_urls_{uuid.uuid4().hex}"
        (tmp_path / f"{name}.py").write_text(
            "from django.conf.urls.i18n import i18n_patterns\n"
            "from django.urls import include, path\n"
            "from wagtail import urls as wagtail_urls\n" + body
        )
        settings.ROOT_URLCONF = name
        clear_url_caches()

    yield write
    clear_url_caches()


WAGTAIL_ONLY = 'urlpatterns = i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)\n'
COMPLETE = (
    "urlpatterns = i18n_patterns("
    'path("accounts/", include("courses.auth_urls")), path("", include("courses.urls")), '
    'path("", include(wagtail_urls)), prefix_default_language=False)\n'
)


def test_a_site_with_only_wagtails_urls_is_told_each_missing_url(urlconf, settings):
    urlconf(WAGTAIL_ONLY)
    settings.LOGIN_URL = global_settings.LOGIN_URL
    settings.LOGIN_REDIRECT_URL = global_settings.LOGIN_REDIRECT_URL

    assert ids(checks.check_urls(None)) == ["courses.E006", "courses.E008", "courses.E009", "courses.E010"]


def test_the_readme_urls_and_login_redirect_pass(urlconf, settings):
    urlconf(COMPLETE)
    settings.LOGIN_URL = global_settings.LOGIN_URL
    settings.LOGIN_REDIRECT_URL = "courses:dashboard"

    assert checks.check_urls(None) == []


def test_a_login_on_another_host_is_taken_on_trust(urlconf, settings):
    urlconf(COMPLETE)
    settings.LOGIN_URL = "https://sso.example.com/login"

    assert checks.check_urls(None) == []


def test_the_dashboard_read_as_burmese_is_named(urlconf, settings):
    urlconf(COMPLETE)
    settings.LANGUAGES = [("en", "English"), ("my", "Burmese")]

    problems = checks.check_urls(None)

    assert ids(problems) == ["courses.E007"]
    assert "'my'" in problems[0].msg


def test_logout_without_a_page_to_land_on_is_named(settings):
    settings.LOGOUT_REDIRECT_URL = None
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "APP_DIRS": True}]

    assert ids(checks.check_urls(None)) == ["courses.E011"]


def test_a_base_template_needs_the_context_processor(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].remove(checks.CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates
    settings.TRAINING_BASE_TEMPLATE = "courses/layout.html"
    assert checks.check_base_template(None) == []

    settings.TRAINING_BASE_TEMPLATE = "no/such.html"

    assert ids(checks.check_base_template(None)) == ["courses.E012", "courses.E013"]


def test_a_task_backend_that_drops_tasks_is_named(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert ids(checks.check_task_backend(None)) == ["courses.E014"]

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    leave_out(monkeypatch, "django_tasks_db")
    assert ids(checks.check_task_backend(None)) == ["courses.E015"]


@pytest.mark.django_db
def test_check_fails_with_the_message_and_hint(settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != checks.LOCALE_MIDDLEWARE]

    with pytest.raises(SystemCheckError, match=r"(?s)courses\.E002.*HINT: Add 'django\.middleware\.locale"):
        call_command("check")
