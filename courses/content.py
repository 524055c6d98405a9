"""Installing training modules from their content files (see ``docs/content-format.md``).

Contract:

* Idempotent. Every course, lesson and activity gets a translation key derived from
  its module and content key, so a later run recognises what an earlier one made,
  and the same course in two languages is one translation set.
* Never overwrites and never brings back. Each course (per language) and the onboarding
  path is installed once and recorded as installed; later runs leave it alone, whatever
  trainers have done to it since, deleting included. An activity that exists is reused.
* All or nothing: the whole installation runs in one transaction.
* Never touches the host's own pages. The courses go under a training index that is
  found, or created under the parent given (by default the site's home page) with a
  free slug. A language whose parent page has no translation is left out, and the
  report says which page to translate; the locales of the content languages the
  modules are written in are created.
* Language codes match as Django matches them: content written in ``en`` serves a
  site whose language is ``en-us``.
"""

from __future__ import annotations

import datetime
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from courses.conf import get_setting
from courses.models import (
    Activity,
    AssignmentRule,
    AssignmentRuleCourse,
    CoursePage,
    InstalledContent,
    LessonActivity,
    LessonPage,
    TrainingIndexPage,
)
from courses.module_config import TrainingModuleConfig

_KEY_NAMESPACE = uuid.UUID("6a1f0f43-52a5-4b77-9a4e-3c2f3f8d5b10")


def content_key(*parts: str) -> uuid.UUID:
    """The translation key of a piece of module content, the same on every site and run."""
    return uuid.uuid5(_KEY_NAMESPACE, "/".join(parts))


class ContentError(Exception):
    """A content file that cannot be installed; the message says where and why."""


INDEX_SLUG = "training"


@dataclass
class InstallReport:
    """What an installation did, and what the site owner still has to do."""

    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    index: str = ""
    to_do: list[str] = field(default_factory=list)


def training_modules() -> list[TrainingModuleConfig]:
    """The installed module apps, in onboarding order."""
    modules = [config for config in apps.get_app_configs() if isinstance(config, TrainingModuleConfig)]
    return sorted(modules, key=lambda config: (config.module_order, config.label))


def _content_path(module: TrainingModuleConfig, language_code: str) -> Path | None:
    """The module's content file for a language: its own (``en-us``) or its generic one (``en``)."""
    for code in dict.fromkeys([language_code.lower(), language_code.lower().split("-")[0]]):
        path = module.content_dir / f"{code}.toml"
        if path.exists():
            return path
    return None


def read_content(module: TrainingModuleConfig, language_code: str) -> dict | None:
    path = _content_path(module, language_code)
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: {error}") from error


@transaction.atomic
def install_training_modules(parent: Page | None = None, slug: str | None = None) -> InstallReport:
    """Install every module's course in every content language of the site that it is written in.

    ``parent`` and ``slug`` place a training index that has to be created: by default it goes
    under the default site's home page, at the first free slug from ``training``.
    """
    report = InstallReport()
    modules = training_modules()
    locales = _content_locales(modules, report)
    indexes = _training_indexes(locales, parent, slug, report)
    for module in modules:
        module.install_defaults()
        for locale in locales:
            data = read_content(module, locale.language_code)
            if data is not None and locale.pk in indexes:
                _install_course(module, data, indexes[locale.pk], locale, report)
    _install_onboarding_path(modules, locales[0], report)
    return report


def _content_locales(modules: list[TrainingModuleConfig], report: InstallReport) -> list[Locale]:
    """The locales to install into, the default first: each content language some module is written in.

    With Wagtail's internationalisation off, that is the default language alone. Missing
    locales are created; a content language no module is written in goes to the report.
    """
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    codes = list(get_content_languages()) if getattr(settings, "WAGTAIL_I18N_ENABLED", False) else [default_code]
    codes.sort(key=lambda code: code != default_code)
    locales = []
    for code in codes:
        if not any(_content_path(module, code) for module in modules):
            written_in = sorted({path.stem for module in modules for path in module.content_dir.glob("*.toml")})
            report.to_do.append(
                f"No training module is written in {get_language_info(code)['name']} ({code}): "
                f"its pages are not installed. The modules are written in: {', '.join(written_in)}."
            )
            continue
        locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.created.append(f"locale {code}")
        locales.append(locale)
    if not locales or locales[0].language_code != default_code:
        raise ContentError(
            f"No training module is written in the site's default language ({default_code}); "
            "set LANGUAGE_CODE to a language a module is written in."
        )
    return locales


def _training_indexes(
    locales: list[Locale], parent: Page | None, slug: str | None, report: InstallReport
) -> dict[int, TrainingIndexPage]:
    """The training index in each locale that can have one, made (as translations of one another) where missing.

    A translation of the index needs its parent translated first; the host's pages are its
    own to translate, so a language whose parent page is not translated goes to the report.
    """
    default = locales[0]
    index = TrainingIndexPage.objects.filter(locale=default).order_by("path").first()
    if index is None:
        index = _create_index(default, parent, slug)
    elif parent is not None or slug is not None:
        report.to_do.append(f"The training index “{index.title}” exists already; it was left where it is.")
    report.index = index.full_url or index.url_path
    indexes = {default.pk: index}
    index_parent = index.get_parent()
    for locale in locales[1:]:
        localized = index.get_translation_or_none(locale)
        if localized is None:
            if not index_parent.is_root() and index_parent.get_translation_or_none(locale) is None:
                report.to_do.append(
                    f"The page “{index_parent.title}” has no {get_language_info(locale.language_code)['name']} "
                    f"translation, so the {locale.language_code} courses have nowhere to go: translate it "
                    "(in the admin, or with the command in the README) and run load_training_modules again."
                )
                continue
            localized = index.copy_for_translation(locale)
            with translation.override(locale.language_code):
                localized.title = localized.draft_title = gettext("Service training")
            localized.save_revision().publish()
        indexes[locale.pk] = localized.specific
    return indexes


def _create_index(locale: Locale, parent: Page | None, slug: str | None) -> TrainingIndexPage:
    """A new, published training index under ``parent`` (the site's home page by default)."""
    if parent is None:
        root = Site.objects.get(is_default_site=True).root_page
        parent = root.get_translation_or_none(locale) or root
    elif parent.locale_id != locale.pk:
        raise ContentError(f"The parent page “{parent.title}” is not in the default language ({locale.language_code}).")
    if slug is None:
        slug = free_slug(parent, INDEX_SLUG)
    elif parent.get_children().filter(slug=slug).exists():
        raise ContentError(f"The page “{parent.title}” has a child with the slug {slug!r} already; choose another.")
    with translation.override(locale.language_code):
        index = TrainingIndexPage(
            title=gettext("Service training"), slug=slug, translation_key=content_key("index"), locale=locale
        )
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def free_slug(parent: Page, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no child of ``parent`` has yet."""
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _install_course(
    module: TrainingModuleConfig, data: dict, index: TrainingIndexPage, locale: Locale, report: InstallReport
) -> None:
    where = f"{module.label}/{locale.language_code}"
    course_key = content_key(module.label, "course")
    if (
        InstalledContent.objects.filter(key=where).exists()
        or Page.objects.filter(translation_key=course_key, locale=locale).exists()
    ):
        InstalledContent.objects.get_or_create(key=where)
        report.skipped.append(where)
        return
    try:
        activities = {item["key"]: _install_activity(module, item, locale) for item in data.get("activities", [])}
        course_data = data["course"]
        course = CoursePage(
            title=course_data["title"],
            slug=course_data["slug"],
            summary=course_data["summary"],
            estimated_minutes=course_data.get("estimated_minutes"),
            body=course_data.get("body", []),
            translation_key=course_key,
            locale=locale,
        )
        if "pass_mark" in course_data:
            course.pass_mark = course_data["pass_mark"]
        index.add_child(instance=course)
        course.save_revision().publish()
        for lesson_data in data["lessons"]:
            lesson = LessonPage(
                title=lesson_data["title"],
                slug=lesson_data["slug"],
                summary=lesson_data.get("summary", ""),
                estimated_minutes=lesson_data["estimated_minutes"],
                required=lesson_data.get("required", True),
                in_refreshers=lesson_data.get("in_refreshers", True),
                body=lesson_data["body"],
                translation_key=content_key(module.label, "lesson", lesson_data["slug"]),
                locale=locale,
            )
            lesson.activity_links = [
                LessonActivity(activity=activities[key], sort_order=position)
                for position, key in enumerate(lesson_data.get("activities", []))
            ]
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
    except KeyError as error:
        raise ContentError(f"{where}: missing {error}") from error
    InstalledContent.objects.create(key=where)
    report.created.append(where)


def _install_activity(module: TrainingModuleConfig, data: dict, locale: Locale) -> Activity:
    key = content_key(module.label, "activity", data["key"])
    existing = Activity.objects.filter(translation_key=key, locale=locale).first()
    if existing is not None:
        return existing
    activity_type = next((t for t in Activity.concrete_types() if t.content_type_name == data["type"]), None)
    if activity_type is None:
        raise ContentError(f"{module.label}/{locale.language_code}: no activity type called {data['type']!r}")
    activity = activity_type.from_content(data)
    if problems := activity.publishing_problems():
        raise ContentError(f"{module.label}/{locale.language_code}, {data['key']}: {' '.join(problems)}")
    activity.translation_key, activity.locale = key, locale
    activity.save()
    activity.save_revision().publish()
    return activity


def _install_onboarding_path(modules: list[TrainingModuleConfig], locale: Locale, report: InstallReport) -> None:
    """The onboarding rule: staff hired from ``TRAINING_NEW_HIRE_DAYS`` before today on take every module's
    course in order, one a week from their hire date."""
    if InstalledContent.objects.filter(key="onboarding path").exists():
        return
    keys = [content_key(module.label, "course") for module in modules]
    courses = {
        course.translation_key: course for course in CoursePage.objects.filter(translation_key__in=keys, locale=locale)
    }
    if not courses:
        return
    with translation.override("fa"):
        persian_name = gettext("Onboarding")
    with translation.override(locale.language_code):
        rule = AssignmentRule(
            name=gettext("Onboarding"),
            persian_name=persian_name,
            audience=AssignmentRule.Audience.HIRED_SINCE,
            hired_since=timezone.localdate() - datetime.timedelta(days=get_setting("NEW_HIRE_DAYS")),
            due_from=AssignmentRule.DueFrom.HIRE_DATE,
        )
    rule.courses = [
        AssignmentRuleCourse(course=courses[key], sort_order=position, due_after_days=7 * (position + 1))
        for position, key in enumerate(key for key in keys if key in courses)
    ]
    rule.save()
    InstalledContent.objects.create(key="onboarding path")
    report.created.append("onboarding path")
