"""Where load_training_modules installs into a host's site, in which languages, and what it leaves alone."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Locale, Page, Revision, Site

from courses.content import install_training_modules
from courses.models import CoursePage, TrainingIndexPage
from courses.testing import translate

BILINGUAL = {
    "LANGUAGE_CODE": "en",
    "LANGUAGES": [("en", "English"), ("fa", "Persian")],
    "WAGTAIL_I18N_ENABLED": True,
    "WAGTAIL_CONTENT_LANGUAGES": [("en", "English"), ("fa", "Persian")],
}


@pytest.fixture
def home(db):
    """A host site's home page, as `wagtail start` makes it: English, the default site's root."""
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = Page(title="Home", slug="host-home", locale=en)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


@override_settings(**BILINGUAL)
def test_the_host_home_page_is_never_copied_into_another_language(home):
    report = install_training_modules()

    assert home.get_translations().count() == 0
    assert Revision.page_revisions.filter(object_id=str(home.pk)).count() == 1
    assert TrainingIndexPage.objects.get().get_parent().pk == home.pk
    assert not Page.objects.filter(locale__language_code="fa").exists()
    assert set(CoursePage.objects.values_list("locale__language_code", flat=True)) == {"en"}
    assert any("“Home” has no Persian translation" in line for line in report.to_do)


@override_settings(**BILINGUAL)
def test_a_translated_home_page_gets_the_persian_courses(home):
    install_training_modules()
    fa_home = translate(home, "fa", title="خانه")

    report = install_training_modules()

    fa_index = TrainingIndexPage.objects.get(locale__language_code="fa")
    assert fa_index.get_parent().pk == fa_home.pk
    assert CoursePage.objects.filter(locale__language_code="fa").count() == 4
    assert report.to_do == []


@override_settings(**BILINGUAL)
def test_a_missing_persian_locale_is_created(home):
    Locale.objects.filter(language_code="fa").delete()

    report = install_training_modules()

    assert Locale.objects.filter(language_code="fa").exists()
    assert "locale fa" in report.created


@override_settings(
    LANGUAGE_CODE="en-us", LANGUAGES=[("en-us", "English")], WAGTAIL_I18N_ENABLED=False, WAGTAIL_CONTENT_LANGUAGES=None
)
def test_a_site_in_en_us_gets_the_english_courses(home):
    install_training_modules()

    assert CoursePage.objects.filter(locale__language_code="en-us").count() == 4
    assert CoursePage.objects.count() == 4


@override_settings(
    LANGUAGE_CODE="en",
    LANGUAGES=[("en", "English"), ("de", "German")],
    WAGTAIL_I18N_ENABLED=True,
    WAGTAIL_CONTENT_LANGUAGES=[("en", "English"), ("de", "German")],
)
def test_a_language_no_module_is_written_in_is_reported(home):
    report = install_training_modules()

    assert any("No training module is written in German (de)" in line for line in report.to_do)
    assert not Locale.objects.filter(language_code="de").exists()
    assert CoursePage.objects.count() == 4


def test_a_taken_slug_gives_the_index_a_free_one(home):
    home.add_child(instance=Page(title="Training", slug="training", locale=home.locale))

    install_training_modules()

    assert TrainingIndexPage.objects.get().slug == "training-2"


def test_the_index_goes_where_the_command_is_told(home):
    about = home.add_child(instance=Page(title="About", slug="about", locale=home.locale))

    call_command("load_training_modules", "--parent", "/about/", "--slug", "learn", stdout=io.StringIO())

    index = TrainingIndexPage.objects.get()
    assert index.get_parent().pk == about.pk
    assert index.slug == "learn"


def test_a_slug_that_is_taken_is_refused_and_nothing_is_installed(home):
    home.add_child(instance=Page(title="Learn", slug="learn", locale=home.locale))

    with pytest.raises(CommandError, match="slug 'learn' already"):
        call_command("load_training_modules", "--slug", "learn", stdout=io.StringIO())

    assert not TrainingIndexPage.objects.exists()
    assert not CoursePage.objects.exists()


def test_an_unknown_parent_is_refused(home):
    with pytest.raises(CommandError, match="No page '/nowhere/'"):
        call_command("load_training_modules", "--parent", "/nowhere/", stdout=io.StringIO())


def test_an_existing_index_is_found_and_reused(home):
    install_training_modules()

    call_command("load_training_modules", "--slug", "elsewhere", stdout=io.StringIO())

    assert TrainingIndexPage.objects.get().slug == "training"
