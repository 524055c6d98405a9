"""The learner's hot pages cost a fixed number of queries, whatever the size of the course."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseCompletion, Enrollment
from courses.testing import (
    make_course,
    make_lesson,
    make_sized_course,
    pass_all_but_the_last_quiz,
    quiz_answers,
    translate,
)
from modules.empowerment.models import EmpowermentMatrix
from tests.builders import make_cases, make_listening, make_scenario

#: The most queries each may take: the session, the user, and the learner's own records (completing a course
#: writes the completion and marks its cycle completed).
GOALS = {"course page": 4, "lesson page": 5, "completing request": 13, "dashboard": 10}


def count_queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(context)


def measure(client, index, learner, size: int) -> dict[str, int]:
    """Query counts with every activity done but the last lesson's quiz, whose request completes the course."""
    course = make_sized_course(index, size)
    Enrollment.objects.enrol(learner, course, source="self")
    last_lesson, last_quiz = pass_all_but_the_last_quiz(client, course)
    client.get(course.url)  # warm the per-process caches (content types, site root paths)
    counts = {
        "course page": count_queries(client, "get", course.url),
        "lesson page": count_queries(client, "get", last_lesson.url),
        "dashboard": count_queries(client, "get", "/my-training/"),
        "completing request": count_queries(
            client, "post", f"{last_lesson.url}activities/{last_quiz.pk}/", quiz_answers(last_quiz)
        ),
    }
    assert CourseCompletion.objects.filter(enrollment__course=course).count() == 1
    return counts


def test_hot_pages_cost_a_fixed_number_of_queries(learner_client, index, learner):
    small = measure(learner_client, index, learner, size=1)
    large = measure(learner_client, index, learner, size=20)

    for page, goal in GOALS.items():
        assert large[page] == small[page], (page, small[page], large[page])
        assert large[page] <= goal, (page, large[page])


def lesson_page_queries(client, course, title: str, copies: int, **lesson_fields) -> int:
    activities = [make() for make in (make_scenario, make_cases, make_listening) for _ in range(copies)]
    lesson = make_lesson(course, title, activities=activities, **lesson_fields)
    client.get(lesson.url)
    return count_queries(client, "get", lesson.url)


def test_a_lesson_of_module_activities_costs_the_same_however_many(learner_client, index, learner, fa):
    EmpowermentMatrix.load().add_default_rules()
    course = make_course(index, "Modules")
    Enrollment.objects.enrol(learner, course, source="self")
    persian_course = translate(course, fa, title="ماژول‌ها")

    one_of_each = lesson_page_queries(learner_client, course, "One of each", 1)
    three_of_each = lesson_page_queries(learner_client, course, "Three of each", 3)
    in_persian = lesson_page_queries(learner_client, persian_course, "درس", 1, slug="persian")

    assert one_of_each == three_of_each
    # Wagtail finds the Persian home page from the site's English one: remembered, as the English one is.
    assert in_persian == one_of_each
    # The scenario runs and the empowerment matrix cost a query each beyond a lesson of quizzes.
    assert one_of_each <= GOALS["lesson page"] + 2
