"""The learner's hot pages cost a fixed number of queries, whatever the size of the course."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseCompletion, Enrollment
from courses.testing import make_sized_course, pass_all_but_the_last_quiz, quiz_answers

GOALS = {"course page": 10, "lesson page": 12, "completing request": 20, "dashboard": 8}


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
        assert large[page] - small[page] <= 2, (page, small[page], large[page])
        assert max(small[page], large[page]) <= goal, (page, small[page], large[page])
