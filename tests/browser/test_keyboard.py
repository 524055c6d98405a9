"""Everything works from the keyboard: a learner tabs through a quiz, answers it and submits it."""

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from courses.testing import make_course, make_lesson, make_quiz, make_user
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
                           form: e.form ? e.form.action : ''}; }"""
    )


def test_a_quiz_is_answered_and_sent_with_the_keyboard_alone(page, live_server, site):
    quiz = make_quiz()
    course = make_course(site, "Listening basics")
    lesson = make_lesson(course, "Listen first", activities=[quiz])
    Enrollment.objects.enrol(make_user("keys"), course, source="self")
    correct = {question.field_name: question.correct_ids for question in quiz.question_list}
    log_in(page, live_server, "keys")
    page.goto(live_server.url + lesson.url)

    answered, sent = set(), False
    for _press in range(200):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["name"] in correct and element["type"] == "radio":
            # In a group of radio buttons the arrow keys move the choice; stop at the right one.
            for _arrow in range(10):
                if focused(page)["value"] in correct[element["name"]]:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            answered.add(element["name"])
        elif element["name"] in correct and element["type"] == "checkbox":
            if element["value"] in correct[element["name"]]:
                page.keyboard.press("Space")
            answered.add(element["name"])
        elif element["tag"] == "BUTTON" and element["type"] == "submit" and answered == set(correct):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            sent = True
            break

    assert sent, f"the submit button was not reached from the keyboard; answered {answered}"
    expect(page.get_by_text("You scored 100%. Well done.")).to_be_visible()
