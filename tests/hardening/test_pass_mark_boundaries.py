"""Every graded type at its pass mark: a score exactly at the mark passes, one point short fails.

Moving a pass mark, or turning ``>=`` into ``>``, fails these tests.
"""

import pytest

from courses.models import Attempt, Enrollment
from courses.testing import make_course, make_lesson, publish, query_dict, quiz_answers
from modules.angry_customer.models import ScenarioActivity
from tests.modules.test_angry_customer import say, scenario_data
from tests.modules.test_empowerment import answer, cases, matrix  # noqa: F401 (fixtures)
from tests.modules.test_listening import answers as listening_answers
from tests.modules.test_listening import exercise  # noqa: F401 (fixture)

#: The pass mark relative to the score, and whether the score passes it.
AT_AND_ABOVE = [(0, True), (1, False)]


def one_wrong(quiz):
    """The quiz's answers with the first question answered wrong, and the score that earns."""
    data = quiz_answers(quiz)
    wrong = quiz_answers(quiz, correct=False)
    first = quiz.question_list[0].field_name
    data[first] = wrong[first]
    total = len(quiz.question_list)
    return data, round(100 * (total - 1) / total)


@pytest.mark.parametrize(("above", "passes"), AT_AND_ABOVE)
def test_a_quiz_at_the_pass_mark(quiz, above, passes):
    data, score = one_wrong(quiz)
    assert 0 < score < 100

    grade = quiz.grade(quiz.clean_submission(query_dict(data)), pass_mark=score + above)

    assert (grade.score, grade.passed) == (score, passes)


@pytest.mark.parametrize(("above", "passes"), AT_AND_ABOVE)
def test_a_listening_exercise_at_the_pass_mark(exercise, above, passes):  # noqa: F811
    grade = exercise.grade(exercise.clean_submission(listening_answers(exercise, 0, 1)), pass_mark=50 + above)

    assert (grade.score, grade.passed) == (50, passes)


@pytest.mark.parametrize(("above", "passes"), AT_AND_ABOVE)
def test_an_empowerment_case_at_the_pass_mark(cases, above, passes):  # noqa: F811
    data = answer(cases, ("escalate", 1, [0]), ("escalate", 1, [0]))  # 4 of 7 points

    grade = cases.grade(cases.clean_submission(data), pass_mark=57 + above)

    assert (grade.score, grade.passed) == (57, passes)


@pytest.mark.parametrize(("above", "passes"), AT_AND_ABOVE)
def test_a_quiz_at_the_courses_pass_mark_through_the_lesson_page(learner_client, learner, index, quiz, above, passes):
    data, score = one_wrong(quiz)
    course = make_course(index, "Boundary", pass_mark=score + above)
    lesson = make_lesson(course, "Only", activities=[quiz])
    Enrollment.objects.enrol(learner, course, source="self")

    learner_client.post(f"{lesson.url}activities/{quiz.pk}/", data)

    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.passed) == (score, passes)
    assert course.enrollments.get().completions.exists() is passes


@pytest.mark.parametrize(("above", "passes"), AT_AND_ABOVE)
def test_a_scenario_at_the_courses_pass_mark(learner_client, learner, index, above, passes):
    scenario = publish(ScenarioActivity.from_content(scenario_data()))
    # Acknowledging, apologising and listening, then no fix: 5 of the best run's 9 points, 56%.
    course = make_course(index, "Complaints", pass_mark=56 + above)
    lesson = make_lesson(course, "Practice", activities=[scenario])
    Enrollment.objects.enrol(learner, course, source="self")

    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    say(learner_client, lesson, scenario, "listen", "May I have the order number?")
    say(learner_client, lesson, scenario, "fix", "Try again tomorrow.")

    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.passed) == (56, passes)
