"""Persian is a first-class language: RTL pages, Jalali dates, Persian digits, translated strings."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from courses.formatting import local_date, local_digits, local_number
from courses.models import CourseCompletion, Enrollment
from courses.testing import translate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def persian_course(course, fa):
    return translate(course, fa, title="گوش‌دادن فعال", summary="خلاصه")


def test_a_persian_page_is_right_to_left_in_persian(client, persian_course):
    response = client.get(persian_course.url)

    assert persian_course.url.startswith("/fa/")
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "گوش‌دادن فعال" in response.text


def test_an_english_page_is_left_to_right(client, course):
    assert '<html lang="en" dir="ltr">' in client.get(course.url).text


def test_the_language_switcher_links_a_page_to_its_translation(client, course, persian_course):
    english = client.get(course.url).text
    persian = client.get(persian_course.url).text

    assert f'href="{persian_course.url}" lang="fa"' in english
    assert f'href="{course.url}" lang="en"' in persian


def test_the_switcher_on_a_page_without_translation_leads_home(client, course):
    assert 'href="/fa/" lang="fa"' in client.get(course.url).text


def test_the_switcher_keeps_other_pages(learner_client):
    assert 'href="/fa/my-training/" lang="fa"' in learner_client.get("/my-training/").text


def test_dates_are_jalali_with_persian_digits_in_persian():
    day = datetime.date(2026, 11, 23)
    with translation.override("fa"):
        assert local_date(day) == "۲ آذر ۱۴۰۵"
        assert local_date(day, "short") == "۱۴۰۵/۰۹/۰۲"
        assert local_number(2_000_000) == "۲٬۰۰۰٬۰۰۰"
        assert local_digits("80%") == "۸۰%"
    with translation.override("en"):
        assert local_date(day) == "23 November 2026"
        assert local_date(day, "short") == "2026-11-23"
        assert local_number(2_000_000) == "2,000,000"


def test_the_persian_dashboard_shows_jalali_dates_and_persian_digits(learner_client, learner, persian_course):
    Enrollment.objects.enrol(learner, persian_course, source="assigned", due_date=datetime.date(2026, 12, 21))

    page = learner_client.get("/fa/my-training/").text

    assert "۳۰ آذر ۱۴۰۵" in page
    assert "2026" not in page
    assert re.search(r'class="progress__label">[^<]*۰', page)


def test_a_completion_date_reads_in_jalali(learner_client, learner, persian_course):
    enrollment, _ = Enrollment.objects.enrol(learner, persian_course, source="self")
    CourseCompletion.objects.create(
        enrollment=enrollment, cycle=1, completed_at=datetime.datetime(2026, 3, 21, 12, tzinfo=datetime.UTC)
    )
    assert "۱ فروردین ۱۴۰۵" in learner_client.get("/fa/my-training/").text


def test_interface_strings_are_translated(client, persian_course):
    page = client.get(persian_course.url).text
    with translation.override("fa"):
        assert translation.gettext("Log in to enrol") in page
        assert translation.gettext("Log in to enrol") != "Log in to enrol"


@pytest.mark.parametrize(
    "catalogue",
    sorted(ROOT.glob("*/locale/fa/LC_MESSAGES/django.po"))
    + sorted(ROOT.glob("modules/*/locale/fa/LC_MESSAGES/django.po")),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_every_persian_catalogue_is_complete_and_compiled(catalogue):
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    ).stderr
    assert "untranslated" not in statistics
    assert "fuzzy" not in statistics
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists()
    assert compiled.stat().st_mtime >= catalogue.stat().st_mtime - 1
