"""What a learner sees on the way through a course: errors, retakes, feedback, numbers, the home page, a phone."""

import datetime
import io
import wave

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.documents.models import Document

from courses.models import Attempt, Enrollment
from courses.testing import (
    make_course,
    make_lesson,
    make_quiz,
    make_reflection,
    make_user,
    publish,
    quiz_answers,
    translate,
)
from modules.active_listening.models import ListeningActivity
from modules.angry_customer.models import ScenarioActivity
from tests.browser.conftest import log_in, submit_in_browser
from tests.builders import make_cases

pytestmark = pytest.mark.browser

LONG_TEXT = "".join(f"<p>Paragraph {n}: a customer is a guest, not an interruption.</p>" for n in range(40))
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser):
    """Open a page in a browser context of its own (``java_script_enabled``, ``viewport``...), closed after the test
    so that none of its requests reach the live server once the test's data is gone."""
    contexts = []

    def open_page(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def enrolled_lesson(site, username="nima", *, activities=(), body=None, lessons=1, due_date=None):
    """A course whose first lesson holds ``activities``, and a learner enrolled in it."""
    course = make_course(site, "Listening basics", pass_mark=80)
    fields = {"body": [{"type": "rich_text", "value": body}]} if body else {}
    first = make_lesson(course, "Listen first", activities=list(activities), **fields)
    for number in range(2, lessons + 1):
        make_lesson(course, f"Lesson {number}")
    user = make_user(username, first_name="Nima")
    Enrollment.objects.enrol(user, course, source="self", due_date=due_date)
    return course, first


# 1. A refused submission brings the learner back to the activity, the error summary in view and focused.


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_refused_answer_comes_back_with_the_error_summary_in_view_and_focused(
    open_page, live_server, site, javascript
):
    quiz = make_quiz()
    _course, lesson = enrolled_lesson(site, activities=[quiz], body=LONG_TEXT)
    page = open_page(java_script_enabled=javascript)
    log_in(page, live_server, "nima")
    page.goto(live_server.url + lesson.url)

    with page.expect_navigation():
        page.locator(f"#activity-{quiz.pk} form button[type=submit]").click()

    summary = page.locator(f"#activity-{quiz.pk} .error-summary")
    expect(summary).to_have_text("Please correct the answers marked below.")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    assert not Attempt.objects.exists()


# 2. A retake starts from a clean form, the last result beside it. 3. Feedback names each choice and marks it.


def test_a_retake_starts_blank_and_the_feedback_marks_each_choice(page, live_server, site):
    quiz = make_quiz()
    _course, lesson = enrolled_lesson(site, activities=[quiz])
    single, multiple, true_false = quiz.question_list
    log_in(page, live_server, "nima")
    page.goto(live_server.url + lesson.url)
    section = page.locator(f"#activity-{quiz.pk}")
    paraphrasing, typing, _asking = multiple.choices
    submit_in_browser(
        page,
        quiz,
        {
            single.field_name: single.choices[1].id,
            multiple.field_name: [paraphrasing.id, typing.id],
            true_false.field_name: "false",
        },
    )

    expect(section.locator(".result")).to_contain_text("You scored 33%. Not yet")
    expect(section.locator("input:checked")).to_have_count(0)
    feedback = section.locator("fieldset", has_text=multiple.prompt).locator(".marks li")
    expect(feedback).to_have_count(3)
    expect(feedback.nth(0)).to_contain_text("You chose it: right")
    expect(feedback.nth(0)).to_contain_text("Paraphrasing what they said")
    expect(feedback.nth(1)).to_contain_text("You chose it: wrong")
    expect(feedback.nth(1)).to_contain_text("Typing while they talk")
    expect(feedback.nth(1)).to_contain_text("They can hear the keys.")
    expect(feedback.nth(2)).to_contain_text("Missed: this one is right")
    expect(feedback.nth(2)).to_contain_text("Asking an open question")
    first = section.locator("fieldset", has_text=single.prompt).locator(".marks li")
    expect(first.nth(0)).to_contain_text("Missed: this one is right")
    expect(first.nth(0)).to_contain_text("Feelings first, then facts.")
    expect(first.nth(1)).to_contain_text("Policy first sounds like a wall.")

    # Ticking only the right answers, as a learner would on a form that kept nothing, passes.
    with page.expect_navigation():
        for question in (single, multiple, true_false):
            for choice in question.choices:
                if choice.correct:
                    section.locator(f'input[name="{question.field_name}"][value="{choice.id}"]').check()
        section.locator("form.activity__form button[type=submit]").click()
    expect(section.locator(".result")).to_have_text("You scored 100%. Well done.")


# 4. Persian numbering and signed numbers.


def test_persian_pages_number_their_lists_in_persian(page, live_server, site):
    numbered = "<p>Three steps:</p><ol><li>Listen</li><li>Name the feeling</li><li>Act</li></ol>"
    course, lesson = enrolled_lesson(site, body=numbered, lessons=2)
    fa_course = translate(course, "fa", title="گوش‌دادن")
    fa_lesson = translate(lesson, "fa", title="اول گوش بده")
    translate(course.get_children().last().specific, "fa", title="درس دوم")
    log_in(page, live_server, "nima")

    page.goto(live_server.url + fa_lesson.url)
    for selector in (".prose ol", ".lesson-nav ol"):
        assert page.locator(selector).evaluate("list => getComputedStyle(list).listStyleType") == "persian"
    page.goto(live_server.url + fa_course.url)
    assert page.locator(".lesson-list").evaluate("list => getComputedStyle(list).listStyleType") == "persian"
    page.goto(live_server.url + lesson.url)
    assert page.locator(".prose ol").evaluate("list => getComputedStyle(list).listStyleType") == "decimal"


MINUS_LEFT_OF_DIGIT = """cell => {
    const text = [...cell.childNodes].find(node => node.nodeType === Node.TEXT_NODE && /[-\u2212]/.test(node.data));
    const box = index => { const range = document.createRange(); range.setStart(text, index);
        range.setEnd(text, index + 1); return range.getBoundingClientRect(); };
    return box(text.data.search(/[-\u2212]/)).left < box(text.data.search(/[0-9\u06f0-\u06f9]/)).left;
}"""


def test_a_penalty_reads_minus_one_in_persian(page, live_server, site):
    reply = {"text": "That is our policy.", "next": "end", "feedback": "A wall.", "skills": {"arguing": -1}}
    scenario = publish(
        ScenarioActivity.from_content(
            {
                "title": "A short call",
                "start": "open",
                "steps": [{"key": "open", "situation": "", "customer_says": "Hello?", "replies": [reply]}],
                "endings": [{"key": "end", "title": "Done", "text": "Bye."}],
            }
        )
    )
    course, lesson = enrolled_lesson(site, activities=[scenario])
    translate(course, "fa", title="گفت‌وگو")
    fa_lesson = translate(lesson, "fa", title="تماس کوتاه")
    log_in(page, live_server, "nima")
    page.goto(live_server.url + fa_lesson.url)
    submit_in_browser(page, scenario, {"reply": scenario.graph.steps["open"].replies[0].id})

    penalty = page.locator(".skills__penalty td")
    expect(penalty).to_contain_text("۱")
    assert penalty.evaluate(MINUS_LEFT_OF_DIGIT), penalty.inner_text()


# 5. A completed lesson is marked with an icon and a word in the sidebar.


def test_a_completed_lesson_shows_done_in_words_in_the_sidebar(page, live_server, site):
    _course, first = enrolled_lesson(site, lessons=2)
    log_in(page, live_server, "nima")
    page.goto(live_server.url + first.url)
    with page.expect_navigation():
        page.get_by_role("button", name="I have read this lesson").click()

    done = page.locator(".lesson-nav li", has_text="Listen first")
    expect(done.get_by_text("Done", exact=True)).to_be_visible()
    assert done.get_by_text("Done", exact=True).bounding_box()["width"] > 20
    expect(page.locator(".lesson-nav li", has_text="Lesson 2").get_by_text("Done", exact=True)).to_have_count(0)


# 6. What to pass on to a manager is asked only when escalating, without JavaScript too.


def test_what_to_pass_on_is_asked_only_when_escalating(open_page, live_server, site):
    cases = make_cases()
    _course, lesson = enrolled_lesson(site, activities=[cases])
    page = open_page(java_script_enabled=False)
    log_in(page, live_server, "nima")
    page.goto(live_server.url + lesson.url)
    section = page.locator(f"#activity-{cases.pk}")
    details = section.get_by_role("group", name="If you escalate, what do you pass on to the manager?")

    expect(details).to_be_hidden()
    section.get_by_label("Resolve it myself").check()
    expect(details).to_be_hidden()
    section.get_by_label("Escalate to a manager").check()
    expect(details).to_be_visible()
    section.get_by_label("Resolve it myself").check()
    expect(details).to_be_hidden()


# 7. The home page, logged in, shows where the learner left off and what is due next.


def test_the_home_page_shows_where_the_learner_left_off_and_what_is_due(page, live_server, site):
    quiz, reflection = make_quiz(), make_reflection()
    due = timezone.localdate() + datetime.timedelta(days=10)
    course, first = enrolled_lesson(site, activities=[quiz], due_date=due)
    make_lesson(course, "Reflect", activities=[reflection])
    page.goto(live_server.url + "/")
    expect(page.get_by_text("Log in to see your training")).to_be_visible()

    log_in(page, live_server, "nima")
    page.goto(live_server.url + first.url)
    submit_in_browser(page, quiz, quiz_answers(quiz))
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", name="Welcome back, Nima")).to_be_visible()
    expect(page.get_by_text("Log in to see your training")).to_have_count(0)
    expect(page.get_by_text("You left off in Listening basics. Next: Reflect.")).to_be_visible()
    expect(page.get_by_role("link", name="Continue: Reflect")).to_be_visible()
    expect(page.locator(".next-steps__due")).to_contain_text("Listening basics")
    expect(page.locator(".next-steps__due")).to_contain_text("50% complete")


# 8. Logging out, the favicon, the Persian login page.


def test_logging_out_says_so(page, live_server, site):
    make_user("nima")
    log_in(page, live_server, "nima")
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_the_persian_login_page_names_the_password_one_way_and_writes_usernames_left_to_right(page, live_server, site):
    make_user("nima")
    page.goto(live_server.url + "/fa/accounts/login/")
    page.get_by_label("نام کاربری").fill("nima")
    page.get_by_label("گذرواژه").fill("wrong")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()

    main = page.locator("main").inner_text()
    assert "رمزعبور" not in main
    assert main.count("گذرواژه") == 2, main  # the label and the error
    for label in ("نام کاربری", "گذرواژه"):
        assert page.get_by_label(label).evaluate("input => getComputedStyle(input).direction") == "ltr"


# 9. On a phone: a compact header, and jump links to the activities and to the lesson list.


@pytest.mark.parametrize("language", ["en", "fa"])
def test_on_a_phone_the_header_is_compact_and_the_lesson_has_jump_links(open_page, live_server, site, language):
    quiz = make_quiz()
    course, lesson = enrolled_lesson(site, activities=[quiz], body=LONG_TEXT, lessons=2)
    if language == "fa":
        translate(course, "fa", title="گوش‌دادن")
        lesson = translate(lesson, "fa", title="اول گوش بده")
    page = open_page(viewport=PHONE)
    log_in(page, live_server, "nima")
    page.goto(live_server.url + lesson.url)

    assert page.locator(".site-header").bounding_box()["height"] <= 90
    jump = page.get_by_role("navigation", name="On this page" if language == "en" else "در این صفحه")
    jump.get_by_role("link").nth(1).click()
    expect(page.locator("#lessons")).to_be_in_viewport()
    jump.get_by_role("link").nth(0).click()
    expect(page.locator(f"#activity-{quiz.pk} .activity__title")).to_be_in_viewport()


# 10. A listening moment may carry a recording, played by the browser, with its transcript.


def one_second_of_silence() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\0\0" * 8000)
    return buffer.getvalue()


def test_a_listening_moment_plays_its_recording_with_a_transcript(page, live_server, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clip = Document(title="Nobody calls back", file=ContentFile(one_second_of_silence(), name="moment.wav"))
    clip.save()
    moment = {
        "customer_says": "Nobody calls back.",
        "clip": clip.pk,
        "transcript": "I have called three times and nobody calls back.",
        "feelings": [{"text": "Ignored", "correct": True}, {"text": "Curious", "correct": False}],
        "paraphrases": [
            {"text": "You have been left waiting.", "correct": True, "feedback": "Heard."},
            {"text": "Please hold.", "correct": False, "feedback": "No."},
        ],
    }
    exercise = publish(ListeningActivity.from_content({"title": "Hear it", "moments": [moment]}))
    _course, lesson = enrolled_lesson(site, activities=[exercise])
    log_in(page, live_server, "nima")
    page.goto(live_server.url + lesson.url)

    audio = page.locator(f"#activity-{exercise.pk} audio[controls]")
    expect(audio).to_be_visible()
    duration = audio.evaluate(
        """audio => new Promise(resolve => audio.readyState >= 1 ? resolve(audio.duration)
            : audio.addEventListener("loadedmetadata", () => resolve(audio.duration)))"""
    )
    assert duration == pytest.approx(1.0, abs=0.05)
    transcript = page.get_by_text("I have called three times and nobody calls back.")
    expect(transcript).to_be_hidden()
    page.get_by_text("Transcript").click()
    expect(transcript).to_be_visible()
