"""Installing training modules from their content files (see ``docs/content-format.md``).

Contract:

* Idempotent. Every course, lesson and activity gets a translation key derived from
  its module and content key, so a later run recognises what an earlier one made,
  and the same course in two languages is one translation set.
* Never overwrites and never brings back. Each course (per language) and the onboarding
  path is installed once and recorded as installed; later runs leave it alone, whatever
  trainers have done to it since, deleting included. An activity that exists is reused.
* All or nothing: the whole installation runs in one transaction.
"""

from __future__ import annotations

import datetime
import tomllib
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
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


@dataclass
class InstallReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def training_modules() -> list[TrainingModuleConfig]:
    """The installed module apps, in onboarding order."""
    modules = [config for config in apps.get_app_configs() if isinstance(config, TrainingModuleConfig)]
    return sorted(modules, key=lambda config: (config.module_order, config.label))


def read_content(module: TrainingModuleConfig, language_code: str) -> dict | None:
    path = module.content_dir / f"{language_code}.toml"
    if not path.exists():
        return None
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: {error}") from error


@transaction.atomic
def install_training_modules() -> InstallReport:
    """Install every module's course in every content language the site has."""
    report = InstallReport()
    modules = training_modules()
    locales = _locales()
    indexes = _training_indexes(locales)
    for module in modules:
        module.install_defaults()
        for locale in locales:
            data = read_content(module, locale.language_code)
            if data is not None:
                _install_course(module, data, indexes[locale.pk], locale, report)
    _install_onboarding_path(modules, locales[0], report)
    return report


def _locales() -> list[Locale]:
    """The site's locales, the default first."""
    default = Locale.get_default()
    return [default, *Locale.objects.exclude(pk=default.pk)]


def _training_indexes(locales: list[Locale]) -> dict[int, TrainingIndexPage]:
    """The training index in each locale, made (as translations of one another) where missing."""
    default = locales[0]
    index = TrainingIndexPage.objects.filter(locale=default).order_by("path").first()
    if index is None:
        root = Site.objects.get(is_default_site=True).root_page
        parent = root.get_translation_or_none(default) or root
        with translation.override(default.language_code):
            index = TrainingIndexPage(
                title=gettext("Service training"), slug="training", translation_key=content_key("index"), locale=default
            )
        parent.add_child(instance=index)
        index.save_revision().publish()
    indexes = {default.pk: index}
    for locale in locales[1:]:
        localized = index.get_translation_or_none(locale)
        if localized is None:
            localized = index.copy_for_translation(locale, copy_parents=True)
            with translation.override(locale.language_code):
                localized.title = localized.draft_title = gettext("Service training")
            localized.save_revision().publish()
        indexes[locale.pk] = localized.specific
    return indexes


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
            estimated_minutes=course_data["estimated_minutes"],
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
