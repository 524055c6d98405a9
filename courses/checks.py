"""System checks: the settings a host site must give the training apps, each with what to do.

Without them the apps fail in ways that do not point at the cause (the home page or the
login redirect answering 404, a 500 on logout, a language switcher of a hundred languages),
so ``manage.py check`` names each missing setting with a hint, one message per setting.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import global_settings, settings
from django.core.checks import Error, Tags, Warning, register
from django.shortcuts import resolve_url
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from wagtail.coreutils import get_content_languages

from courses.conf import DEFAULTS, get_setting

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
CONTEXT_PROCESSOR = "courses.context_processors.training"
REQUIRED_APPS = ["polymorphic", "wagtail.contrib.routable_page"]
EXAMPLE_LANGUAGES = '[("en", "English")], or [("en", "English"), ("fa", "Persian")]'


def check_installed_apps(app_configs, **kwargs) -> list[Error]:
    return [
        Error(
            f"The training apps need {name!r} in INSTALLED_APPS.",
            hint=f"Add {name!r} to INSTALLED_APPS.",
            id="courses.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


def check_languages(app_configs, **kwargs) -> list[Error | Warning]:
    """LocaleMiddleware, a short LANGUAGES list, and Wagtail's internationalisation when there are several."""
    problems = []
    if LOCALE_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(
            Error(
                "LocaleMiddleware is not in MIDDLEWARE: pages under i18n_patterns, the training pages among "
                "them, answer 404.",
                hint=f"Add {LOCALE_MIDDLEWARE!r} to MIDDLEWARE after SessionMiddleware and before CommonMiddleware.",
                id="courses.E002",
            )
        )
    if list(settings.LANGUAGES) == list(global_settings.LANGUAGES):
        problems.append(
            Error(
                f"LANGUAGES is Django's list of {len(settings.LANGUAGES)} languages: the language switcher offers "
                "them all, and paths that start like a language code (/my-training/ reads as Burmese) answer 404.",
                hint=f"Set LANGUAGES to the languages the site is in, such as {EXAMPLE_LANGUAGES}.",
                id="courses.E003",
            )
        )
        return problems
    if len(settings.LANGUAGES) > 1:
        problems += _check_wagtail_i18n()
    return problems


def _check_wagtail_i18n() -> list[Error | Warning]:
    problems = []
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        problems.append(
            Error(
                "The site has several LANGUAGES but Wagtail's internationalisation is off: every page, the "
                "training courses among them, exists in one language only.",
                hint="Set WAGTAIL_I18N_ENABLED = True.",
                id="courses.E004",
            )
        )
        return problems
    content_languages = get_content_languages()
    for code, _name in settings.LANGUAGES:
        if code not in content_languages:
            problems.append(
                Error(
                    f"The language {code!r} is in LANGUAGES but not in WAGTAIL_CONTENT_LANGUAGES: no page, "
                    "training course or otherwise, can be written in it.",
                    hint="Set WAGTAIL_CONTENT_LANGUAGES = LANGUAGES.",
                    id="courses.E005",
                )
            )
    if not apps.is_installed("wagtail.locales"):
        problems.append(
            Warning(
                "'wagtail.locales' is not in INSTALLED_APPS: the site's locales cannot be managed in the admin.",
                hint="Add 'wagtail.locales' to INSTALLED_APPS.",
                id="courses.W001",
            )
        )
    return problems


def check_urls(app_configs, **kwargs) -> list[Error]:
    """The learner's pages, login, the redirect after it, and logout all lead somewhere."""
    with translation.override(settings.LANGUAGE_CODE):
        return [*_check_dashboard_url(), *_check_login_urls(), *_check_logout()]


def _check_dashboard_url() -> list[Error]:
    try:
        path = reverse("courses:dashboard")
    except NoReverseMatch:
        return [
            Error(
                "The learner's pages (courses.urls) are not in the URLconf.",
                hint='Add path("", include("courses.urls")) to your i18n_patterns, before Wagtail\'s URLs.',
                id="courses.E006",
            )
        ]
    if (code := translation.get_language_from_path(path)) is not None and not path.startswith(f"/{code}/"):
        return [
            Error(
                f"The learner's dashboard ({path}) starts like the language code {code!r} in LANGUAGES, so "
                "it is read as a page in that language and answers 404.",
                hint=f"Leave {code!r} out of LANGUAGES, or include courses.urls under another prefix.",
                id="courses.E007",
            )
        ]
    return []


def _leads_to_a_view(url: str) -> bool:
    """Whether ``url`` (a path or a URL name) resolves to a view other than Wagtail's page serving.

    A URL on another host (a single sign-on service, say) is taken on trust.
    """
    try:
        target = urlsplit(resolve_url(url))
        if target.netloc:
            return True
        match = resolve(target.path)
    except (NoReverseMatch, Resolver404):
        return False
    return match.url_name != "wagtail_serve"


def _check_login_urls() -> list[Error]:
    problems = []
    if not _leads_to_a_view(settings.LOGIN_URL):
        problems.append(
            Error(
                f"LOGIN_URL ({settings.LOGIN_URL}) leads to no login page: learners sent to log in get a 404.",
                hint='Add path("accounts/", include("courses.auth_urls")) to your i18n_patterns (or Django\'s '
                '"django.contrib.auth.urls"), or set LOGIN_URL to the URL name of your login view.',
                id="courses.E008",
            )
        )
    redirect_is_default = settings.LOGIN_REDIRECT_URL == global_settings.LOGIN_REDIRECT_URL
    if redirect_is_default and not _leads_to_a_view(settings.LOGIN_REDIRECT_URL):
        problems.append(
            Error(
                f"LOGIN_REDIRECT_URL is Django's default ({settings.LOGIN_REDIRECT_URL}), which this site does not "
                "serve: after logging in, learners land on a 404.",
                hint='Set LOGIN_REDIRECT_URL = "courses:dashboard" (the learner\'s training) or another page.',
                id="courses.E009",
            )
        )
    return problems


def _check_logout() -> list[Error]:
    problems = []
    try:
        reverse("logout")
    except NoReverseMatch:
        problems.append(
            Error(
                "No URL is named 'logout': the training pages' log-out button has nowhere to post.",
                hint='Add path("accounts/", include("courses.auth_urls")) to your i18n_patterns, or Django\'s '
                '"django.contrib.auth.urls".',
                id="courses.E010",
            )
        )
    if settings.LOGOUT_REDIRECT_URL is None and not _template_exists("registration/logged_out.html"):
        problems.append(
            Error(
                "LOGOUT_REDIRECT_URL is not set and there is no registration/logged_out.html template: "
                "logging out answers 500.",
                hint='Set LOGOUT_REDIRECT_URL, such as LOGOUT_REDIRECT_URL = "/".',
                id="courses.E011",
            )
        )
    return problems


def check_base_template(app_configs, **kwargs) -> list[Error]:
    """A base template of the host's own exists and reaches the training pages."""
    name = get_setting("BASE_TEMPLATE")
    if name == DEFAULTS["BASE_TEMPLATE"]:
        return []
    problems = []
    if not _template_exists(name):
        problems.append(
            Error(
                f"TRAINING_BASE_TEMPLATE is {name!r}, but there is no such template.",
                hint="Give the name of a template in your templates folder, such as 'base.html'.",
                id="courses.E012",
            )
        )
    processors = [
        processor
        for engine in settings.TEMPLATES
        if engine["BACKEND"] == "django.template.backends.django.DjangoTemplates"
        for processor in engine.get("OPTIONS", {}).get("context_processors", [])
    ]
    if CONTEXT_PROCESSOR not in processors:
        problems.append(
            Error(
                "TRAINING_BASE_TEMPLATE is set, but the training pages cannot see it: they keep their own look.",
                hint=f"Add {CONTEXT_PROCESSOR!r} to TEMPLATES[0]['OPTIONS']['context_processors'].",
                id="courses.E013",
            )
        )
    return problems


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def check_task_backend(app_configs, **kwargs) -> list[Error]:
    """The tasks the training apps queue need a backend that runs them."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend == "django.tasks.backends.dummy.DummyBackend":
        return [
            Error(
                "The default task backend is Django's DummyBackend, which never runs a task: the tasks the "
                "training apps queue would be dropped.",
                hint='Use "django.tasks.backends.immediate.ImmediateBackend", or "django_tasks_db.DatabaseBackend" '
                "with 'django_tasks_db' in INSTALLED_APPS and `manage.py db_worker` running.",
                id="courses.E014",
            )
        ]
    if backend.startswith("django_tasks_db.") and not apps.is_installed("django_tasks_db"):
        return [
            Error(
                "The default task backend is django_tasks_db's, but 'django_tasks_db' is not in INSTALLED_APPS.",
                hint="Add 'django_tasks_db' to INSTALLED_APPS and run migrate.",
                id="courses.E015",
            )
        ]
    return []


def register_checks() -> None:
    """Register the checks with Django's check framework; called once, from the app's ready()."""
    register(check_installed_apps, Tags.compatibility)
    register(check_languages, Tags.translation)
    register(check_urls, Tags.urls)
    register(check_base_template, Tags.templates)
    register(check_task_backend, Tags.compatibility)
