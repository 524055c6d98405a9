"""Each activity type validates a submission and grades it on the server."""

import pytest

from courses.models import SubmissionError
from courses.testing import make_reflection, query_dict, quiz_answers


def test_all_right_scores_100_and_passes(quiz):
    answers = quiz.clean_submission(query_dict(quiz_answers(quiz)))
    grade = quiz.grade(answers, pass_mark=80)

    assert (grade.score, grade.passed) == (100, True)
    assert all(item["correct"] for item in grade.feedback.values())


def test_all_wrong_scores_0_and_marks_the_wrong_choice_and_the_missed_one(quiz):
    answers = quiz.clean_submission(query_dict(quiz_answers(quiz, correct=False)))
    grade = quiz.grade(answers, pass_mark=80)

    assert (grade.score, grade.passed) == (0, False)
    right, policy, _colleague = quiz.question_list[0].choices
    assert grade.feedback[quiz.question_list[0].field_name] == {
        "correct": False,
        "marks": {right.id: "missed", policy.id: "wrong"},
    }


def test_a_multiple_choice_answer_is_marked_choice_by_choice(quiz):
    question = quiz.question_list[1]
    paraphrasing, typing, asking = question.choices
    answers = {**quiz_answers(quiz), question.field_name: [paraphrasing.id, typing.id]}
    grade = quiz.grade(quiz.clean_submission(query_dict(answers)), pass_mark=80)

    marks = grade.feedback[question.field_name]["marks"]
    assert marks == {paraphrasing.id: "right", typing.id: "wrong", asking.id: "missed"}
    items = question.marked_choices(marks)
    assert [(item["choice"].text, item["mark"], item["feedback"]) for item in items] == [
        ("Paraphrasing what they said", "right", ""),
        ("Typing while they talk", "wrong", "They can hear the keys."),
        ("Asking an open question", "missed", ""),
    ]


def test_a_feedback_shared_by_true_and_false_is_given_once(quiz):
    question = quiz.question_list[2]
    items = question.marked_choices(question.marks(["true"]))
    assert [(item["choice"].id, item["mark"], item["feedback"]) for item in items] == [
        ("true", "wrong", "Only about 4% do."),
        ("false", "missed", ""),
    ]


def test_the_pass_mark_decides(quiz):
    answers = quiz_answers(quiz)
    true_false = quiz.question_list[2]
    answers[true_false.field_name] = ["true"]
    grade = quiz.grade(quiz.clean_submission(query_dict(answers)), pass_mark=60)

    assert (grade.score, grade.passed) == (67, True)
    assert quiz.grade(quiz.clean_submission(query_dict(answers)), pass_mark=80).passed is False


def test_multiple_choice_needs_exactly_the_right_set(quiz):
    question = quiz.question_list[1]
    right = sorted(question.correct_ids)
    answers = quiz_answers(quiz)

    answers[question.field_name] = right[:1]
    assert quiz.grade(quiz.clean_submission(query_dict(answers)), 80).feedback[question.field_name]["correct"] is False

    answers[question.field_name] = [choice.id for choice in question.choices]
    assert quiz.grade(quiz.clean_submission(query_dict(answers)), 80).feedback[question.field_name]["correct"] is False


def test_a_missing_answer_is_a_field_error(quiz):
    answers = quiz_answers(quiz)
    missing = quiz.question_list[0].field_name
    del answers[missing]

    with pytest.raises(SubmissionError) as refused:
        quiz.clean_submission(query_dict(answers))

    assert set(refused.value.errors) == {missing}
    assert refused.value.status == 400


def test_a_choice_of_another_question_is_refused(quiz):
    first, second = quiz.question_list[:2]
    answers = quiz_answers(quiz)
    answers[first.field_name] = [second.choices[0].id]

    with pytest.raises(SubmissionError) as refused:
        quiz.clean_submission(query_dict(answers))

    assert str(refused.value.errors[first.field_name]) == "That answer does not belong to this question."


def test_two_answers_to_a_single_choice_question_are_refused(quiz):
    first = quiz.question_list[0]
    answers = quiz_answers(quiz)
    answers[first.field_name] = [choice.id for choice in first.choices[:2]]

    with pytest.raises(SubmissionError) as refused:
        quiz.clean_submission(query_dict(answers))

    assert first.field_name in refused.value.errors


def test_fields_the_activity_does_not_ask_for_are_refused(quiz):
    with pytest.raises(SubmissionError) as refused:
        quiz.clean_submission(query_dict({**quiz_answers(quiz), "user": "7"}))

    assert "user" in str(refused.value)


def test_a_reflection_needs_enough_words(db):
    reflection = make_reflection(min_words=4)

    with pytest.raises(SubmissionError) as refused:
        reflection.clean_submission(query_dict({"response": "too   short  "}))
    assert str(refused.value.errors["response"]) == "Write at least 4 words."

    answers = reflection.clean_submission(query_dict({"response": "  long enough this time  "}))
    assert answers == {"response": "long enough this time"}
    assert reflection.grade(answers, pass_mark=80).passed is True
