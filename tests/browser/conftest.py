"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest

from courses.testing import make_training_site

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def site(transactional_db):
    """The training site, built afresh: transactional tests start from an empty database."""
    return make_training_site()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(username)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def submit_in_browser(page, activity, data: dict) -> None:
    """Answer ``activity`` on the current lesson page as a learner would, and send it."""
    section = page.locator(f"#activity-{activity.pk}")
    with page.expect_navigation():
        if "reply" in data:
            section.locator(f'button[name="reply"][value="{data["reply"]}"]').click()
            return
        for name, values in data.items():
            if name == "response":
                section.locator('textarea[name="response"]').fill(values)
                continue
            wanted = values if isinstance(values, list) else [values]
            for box in section.locator(f'input[type="checkbox"][name="{name}"]').all():
                box.uncheck()
            for value in wanted:
                section.locator(f'input[name="{name}"][value="{value}"]').check()
        section.locator("form.activity__form button[type=submit]").click()
