"""What trainers meet in the admin: the activity chooser, the quiz form, course times, translations, readable values."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from courses.admin_display import readable
from courses.models import Enrollment, LessonPage, QuizActivity, ReflectionActivity, StaffProfile
from courses.testing import make_course, make_lesson, make_quiz, make_reflection, translate
from tests.courses.test_admin import REFRESHER_POLICY_FORM

# The activity chooser


def chooser_titles(response) -> list[str]:
    return [str(activity) for activity in response.context["results"]]


def test_the_activity_chooser_searches_by_title(trainer_client, quiz, reflection):
    response = trainer_client.get("/admin/activity_chooser/results/", {"q": "knowl"})

    assert chooser_titles(response) == ["Knowledge check"]


def test_the_activity_chooser_filters_by_type(trainer_client, quiz, reflection):
    response = trainer_client.get("/admin/activity_chooser/results/", {"activity_type": "courses.reflectionactivity"})

    assert chooser_titles(response) == ["Your turn"]


def test_the_activity_chooser_pages_through_a_search(trainer_client, index):
    for number in range(12):
        make_reflection(title=f"Reflection {number:02}")
    make_quiz(title="Reflection quiz")
    search = {"q": "reflection", "activity_type": "courses.reflectionactivity"}

    first = trainer_client.get("/admin/activity_chooser/results/", search)
    second = trainer_client.get("/admin/activity_chooser/results/", {**search, "p": 2})

    assert len(chooser_titles(first)) == 10
    assert chooser_titles(second) == ["Reflection 10", "Reflection 11"]
    assert "activity_type=courses.reflectionactivity" in first.text
    assert "q=reflection" in first.text


def test_the_activity_chooser_offers_a_new_activity_of_each_type(trainer_client):
    response = trainer_client.get("/admin/activity_chooser/")

    html = response.json()["html"]
    assert "New activity" in html
    for model in ["courses.quizactivity", "courses.reflectionactivity", "angry_customer.scenarioactivity"]:
        assert f'name="new-activity-activity_type" value="{model}"' in html


def test_choosing_a_type_shows_its_form_and_creates_nothing(trainer_client):
    response = trainer_client.post(
        "/admin/activity_chooser/create/", {"new-activity-activity_type": "courses.reflectionactivity"}
    )

    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert "activity_type=courses.reflectionactivity" in data["htmlFragment"]
    assert 'name="new-activity-prompt"' in data["htmlFragment"]
    assert not ReflectionActivity.objects.exists()


def test_an_activity_created_in_the_chooser_is_published_in_the_lesson_language_and_chosen(trainer_client, fa):
    form = {
        "new-activity-title": "Your worst call",
        "new-activity-introduction": "",
        "new-activity-prompt": "What would you do differently?",
        "new-activity-min_words": "10",
        "new-activity-model_answer": "",
    }

    response = trainer_client.post(
        "/admin/activity_chooser/create/?activity_type=courses.reflectionactivity&locale=fa", form
    )

    data = response.json()
    assert data["step"] == "chosen"
    reflection = ReflectionActivity.objects.get()
    assert data["result"]["id"] == str(reflection.pk)
    assert data["result"]["title"] == "Your worst call"
    assert (reflection.live, reflection.locale, reflection.min_words) == (True, fa, 10)
    actions = ModelLogEntry.objects.for_instance(reflection).values_list("action", flat=True)
    assert sorted(actions) == ["wagtail.create", "wagtail.publish"]


def test_an_incomplete_new_activity_comes_back_with_its_errors(trainer_client):
    form = {"new-activity-title": "", "new-activity-prompt": "", "new-activity-min_words": "5"}

    response = trainer_client.post("/admin/activity_chooser/create/?activity_type=courses.reflectionactivity", form)

    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert "This field is required." in data["htmlFragment"]
    assert not ReflectionActivity.objects.exists()


def test_an_unknown_activity_type_is_refused(trainer_client):
    response = trainer_client.post("/admin/activity_chooser/create/", {"new-activity-activity_type": "auth.user"})

    assert response.json()["step"] == "reshow_creation_form"
    assert "Select a valid choice" in response.json()["htmlFragment"]
    assert trainer_client.post("/admin/activity_chooser/create/?activity_type=auth.user", {}).status_code == 404


@pytest.mark.parametrize(
    "activity_type",
    [
        "courses.quizactivity",
        "courses.reflectionactivity",
        "active_listening.listeningactivity",
        "angry_customer.scenarioactivity",
        "empowerment.empowermentactivity",
    ],
)
def test_every_activity_type_can_be_started_from_the_chooser(trainer_client, activity_type):
    response = trainer_client.post("/admin/activity_chooser/create/", {"new-activity-activity_type": activity_type})

    fragment = response.json()["htmlFragment"]
    assert 'name="new-activity-title"' in fragment
    assert "go_live_at" not in fragment


# The quiz form


def quiz_form(*questions) -> dict:
    return nested_form_data(
        {"title": "Phone manners", "introduction": "", "questions": streamfield(list(questions)), "action-publish": "1"}
    )


def test_true_or_false_is_picked_from_two_choices(trainer_client):
    response = trainer_client.get("/admin/snippets/courses/quizactivity/add/")
    assert response.status_code == 200
    assert "The statement is true" not in response.text

    trainer_client.post(
        "/admin/snippets/courses/quizactivity/add/",
        quiz_form(("true_false", {"statement": "Hold music calms callers.", "is_true": "false", "feedback": ""})),
    )

    question = QuizActivity.objects.get().question_list[0]
    assert [(choice.id, choice.correct) for choice in question.choices] == [("true", False), ("false", True)]


def test_a_true_or_false_question_needs_its_answer_picked(trainer_client):
    response = trainer_client.post(
        "/admin/snippets/courses/quizactivity/add/",
        quiz_form(("true_false", {"statement": "Hold music calms callers.", "is_true": "", "feedback": ""})),
    )

    assert response.status_code == 200
    assert not QuizActivity.objects.exists()


def test_an_existing_true_or_false_question_shows_its_answer_chosen(quiz):
    block = quiz.questions.stream_block.child_blocks["true_false"].child_blocks["is_true"]

    assert (block.get_form_state(False), block.get_form_state(True)) == (["false"], ["true"])


def test_a_choice_question_needs_two_answers_when_saved(trainer_client):
    choices = {
        "count": "1",
        "0": {"value": {"text": "Only one", "correct": "on", "feedback": ""}, "deleted": "", "order": "0"},
    }

    response = trainer_client.post(
        "/admin/snippets/courses/quizactivity/add/", quiz_form(("single_choice", {"prompt": "?", "choices": choices}))
    )

    assert response.status_code == 200
    assert "Add at least 2 items." in response.text
    assert not QuizActivity.objects.exists()


def test_new_lists_start_with_as_many_empty_items_as_they_need():
    questions = QuizActivity._meta.get_field("questions").stream_block.child_blocks
    lesson_blocks = LessonPage._meta.get_field("body").stream_block.child_blocks

    assert [choice["text"] for choice in questions["single_choice"].get_default()["choices"]] == [None, None]
    assert len(questions["multiple_choice"].get_default()["choices"]) == 2
    assert len(lesson_blocks["dialogue"].get_default()["lines"]) == 2
    assert len(lesson_blocks["key_takeaways"].get_default()["items"]) == 1


# Course times


def test_a_course_takes_the_time_of_its_lessons_unless_the_trainer_says_otherwise(client, index):
    derived = make_course(index, "Derived")
    make_lesson(derived, "One", estimated_minutes=10)
    make_lesson(derived, "Two", estimated_minutes=15)
    overridden = make_course(index, "Overridden", estimated_minutes=40)
    make_lesson(overridden, "Only", estimated_minutes=10)

    catalogue = client.get(index.url).text

    assert "about 25 minutes" in catalogue
    assert "about 40 minutes" in catalogue
    assert "about 25 minutes" in client.get(derived.url).text
    assert derived.estimated_time() == 25


def test_a_trainer_may_leave_a_course_time_blank(trainer_client, index):
    form = nested_form_data(
        {
            "title": "Phone manners",
            "slug": "phone-manners",
            "summary": "Answering the phone well.",
            "estimated_minutes": "",
            "body": streamfield([]),
            "pass_mark": "80",
            **REFRESHER_POLICY_FORM,
            "action-publish": "publish",
        }
    )

    response = trainer_client.post(f"/admin/pages/add/courses/coursepage/{index.pk}/", form)

    assert response.status_code == 302


def test_the_course_editor_shows_the_lessons_total(trainer_client, index):
    course = make_course(index, "Derived")
    make_lesson(course, "One", estimated_minutes=10)
    make_lesson(course, "Two", estimated_minutes=15)

    response = trainer_client.get(f"/admin/pages/{course.pk}/edit/")

    assert "now 25 minutes" in response.text
    assert 'placeholder="25"' in response.text


# Languages of a course


def test_a_course_page_in_the_admin_says_which_languages_it_exists_in(trainer_client, course, fa):
    response = trainer_client.get(f"/admin/pages/{course.pk}/edit/")

    assert "English: this page" in response.text
    assert "Persian: not translated yet" in response.text
    assert f'href="/admin/translation/submit/page/{course.pk}/"' in response.text


def test_a_translated_course_links_to_its_translation_and_offers_no_more(trainer_client, course, fa):
    persian = translate(course, fa, title="گوش دادن")

    response = trainer_client.get(f"/admin/pages/{course.pk}/edit/")

    assert f'href="/admin/pages/{persian.pk}/edit/"' in response.text
    assert "not translated yet" not in response.text
    assert "/admin/translation/submit/page/" not in response.text


# Readable values


def reads_persian(username: str) -> None:
    """Set a user's admin language to Persian, as their Wagtail account preferences would."""
    profile = UserProfile.get_for_user(get_user_model().objects.get(username=username))
    profile.preferred_language = "fa"
    profile.save()


@pytest.fixture
def enrolment(course, learner):
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    enrollment.enrolled_at = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
    enrollment.save()
    return enrollment


def test_the_enrolment_screen_shows_local_times_and_blanks(trainer_client, enrolment):
    response = trainer_client.get(f"/admin/enrollments/inspect/{enrolment.pk}/")

    fields = response.text.split("<dl>")[1].split("</dl>")[0]
    assert "23 November 2026, 13:30" in fields  # Tehran is UTC+3:30
    assert "None" not in fields


def test_the_enrolment_screen_in_persian_uses_the_persian_calendar(trainer_client, enrolment):
    reads_persian("trainer")

    response = trainer_client.get(f"/admin/enrollments/inspect/{enrolment.pk}/")

    assert "۲ آذر ۱۴۰۵، ۱۳:۳۰" in response.text


def test_the_staff_listing_shows_readable_dates_in_either_language(trainer_client, learner):
    StaffProfile.objects.create(user=learner, hire_date=datetime.date(2026, 11, 23))

    english = trainer_client.get("/admin/staff_profiles/").text
    reads_persian("trainer")
    persian = trainer_client.get("/admin/staff_profiles/").text

    assert "23 November 2026" in english
    assert "۲ آذر ۱۴۰۵" in persian


def test_readable_values_are_words_blanks_and_local_times():
    moment = datetime.datetime(2026, 11, 23, 20, 45, tzinfo=datetime.UTC)

    assert [readable(True), readable(False), readable(None)] == ["Yes", "No", ""]
    with timezone.override("Asia/Tehran"):
        assert readable(moment) == "24 November 2026, 00:15"
