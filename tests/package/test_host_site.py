"""The README's "Add it to your Wagtail site", done literally, gives a working training site.

The wheel built by `python -m build` goes into a fresh `wagtail start` site with a virtual
environment of its own; the README's steps are read from the README and applied as written;
a learner then works through a lesson in Chromium. Once for a site in English only (in the
host's own look) and once for a site in English and Persian.
"""

import tomllib

import pytest
from playwright.sync_api import expect

from tests.package.conftest import PROJECT, REPOSITORY, Stopwatch, set_up

pytestmark = pytest.mark.package

EMPATHY = REPOSITORY / "modules" / "empathy" / "content"
# The second lesson of the empathy course has one activity: a reflection of 40 words or more.
LESSON = "in-the-customers-place"
REFLECTION = {
    "en": " ".join(["I would name the feeling first and then say what I will do next for them today."] * 4),
    "fa": " ".join(["اول احساس مشتری را به زبان می‌آورم و بعد می‌گویم امروز چه کاری برایش انجام می‌دهم."] * 4),
}


def course_content(language: str) -> dict:
    with (EMPATHY / f"{language}.toml").open("rb") as file:
        return tomllib.load(file)


def complete_the_lesson(page, url: str, language: str, labels: dict[str, str]) -> None:
    """Log in, enrol in the empathy course from the training index, and complete its second lesson."""
    prefix = "" if language == "en" else f"/{language}"
    content = course_content(language)
    lesson = next(item for item in content["lessons"] if item["slug"] == LESSON)

    page.goto(f"{url}{prefix}/accounts/login/")
    page.locator("input[name=username]").fill("learner")
    page.locator("input[name=password]").fill("learner-password")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", name=labels["My training"])).to_be_visible()

    page.goto(f"{url}{prefix}/training/")
    with page.expect_navigation():
        page.get_by_role("link", name=content["course"]["title"]).click()
    with page.expect_navigation():
        page.get_by_role("button", name=labels["Enrol in this course"]).click()
    expect(page.get_by_text(labels["You are enrolled. Start with the first lesson."])).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name=lesson["title"], exact=True).click()
    page.locator("textarea[name=response]").fill(REFLECTION[language])
    with page.expect_navigation():
        page.locator("form.activity__form button[type=submit]").click()
    expect(page.get_by_text(labels["Lesson complete"])).to_be_visible()


ENGLISH = {
    "My training": "My training",
    "Enrol in this course": "Enrol in this course",
    "You are enrolled. Start with the first lesson.": "You are enrolled. Start with the first lesson.",
    "Lesson complete": "Lesson complete",
}
PERSIAN = {
    "My training": "آموزش‌های من",
    "Enrol in this course": "ثبت‌نام در این دوره",
    "You are enrolled. Start with the first lesson.": "ثبت‌نام شما انجام شد. از درس اول شروع کنید.",
    "Lesson complete": "درس تکمیل شد",
}


def test_an_english_only_site_in_its_own_look(migrated_site, tmp_path, page, timings):
    site = set_up(migrated_site, tmp_path, "english", groups=("all", "look"))
    assert "courses." not in site.manage("check")

    with Stopwatch(timings, "english: browser"):
        for url in site.serve():
            assert page.goto(f"{url}/").status == 200
            complete_the_lesson(page, url, "en", ENGLISH)
            # The host's base template, with the training header and messages in its blocks.
            expect(page.locator(f"link[href*='css/{PROJECT}.css']")).to_have_count(1)
            expect(page.locator(".site-header").get_by_role("link", name="My training")).to_be_visible()
            assert page.goto(f"{url}/").status == 200


def test_a_site_in_english_and_persian(migrated_site, tmp_path, page, timings):
    site = set_up(migrated_site, tmp_path, "bilingual", groups=("all", "bilingual"))
    assert "courses." not in site.manage("check")

    with Stopwatch(timings, "bilingual: browser"):
        for url in site.serve():
            assert page.goto(f"{url}/").status == 200
            assert page.goto(f"{url}/training/").status == 200
            with page.expect_navigation():
                page.get_by_role("link", name="فارسی").click()
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            complete_the_lesson(page, url, "fa", PERSIAN)
            assert page.goto(f"{url}/").status == 200
            assert page.goto(f"{url}/fa/").status == 200
