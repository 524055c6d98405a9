"""Empowerment cases are graded against the organisation's matrix as it stands."""

import pytest

from courses.models import Attempt, Enrollment
from courses.testing import make_course, make_lesson, publish, query_dict
from modules.empowerment.models import EmpowermentActivity, EmpowermentMatrix


def case(action, amount, *, details=(("Order number", True), ("Salary", False))):
    return {
        "situation": "At the counter.",
        "customer_says": "It broke after a day.",
        "action": action,
        "amount": amount,
        "offers": [
            {"text": "Refund it now and apologise.", "fits": "resolve", "feedback": "Quick and fair."},
            {"text": "Get approval and call back by four.", "fits": "escalate", "feedback": "Owned and timed."},
            {"text": "Policy says no.", "fits": "never", "feedback": "Hiding behind policy."},
        ],
        "details": [{"text": text, "needed": needed} for text, needed in details],
    }


@pytest.fixture
def matrix(db):
    matrix = EmpowermentMatrix.load()
    matrix.add_default_rules()
    return matrix


@pytest.fixture
def cases(matrix):
    return publish(
        EmpowermentActivity.from_content(
            {"title": "Decide", "cases": [case("refund", 1_500_000), case("replacement", 6_500_000)]}
        )
    )


def answer(activity, *decisions):
    """Answers for each case: (decision, offer index, detail indexes)."""
    data = {}
    for item, (decision, offer, details) in zip(activity.case_list, decisions, strict=True):
        decision_q, offer_q, details_q = item["questions"]
        data[decision_q.field_name] = decision
        data[offer_q.field_name] = offer_q.choices[offer].id
        data[details_q.field_name] = [details_q.choices[i].id for i in details]
    return query_dict(data)


def grade(activity, *decisions):
    return activity.grade(activity.clean_submission(answer(activity, *decisions)), pass_mark=75)


def test_resolving_within_the_limit_and_escalating_above_it_is_right(cases):
    result = grade(cases, ("resolve", 0, []), ("escalate", 1, [0]))

    assert (result.score, result.passed) == (100, True)
    first, second = result.feedback.values()
    assert (first["right_decision"], first["limit"]) == ("resolve", 2_000_000)
    assert (second["right_decision"], second["limit"], second["details_correct"]) == ("escalate", 5_000_000, True)


def test_escalating_a_case_within_the_limit_is_wrong(cases):
    result = grade(cases, ("escalate", 1, [0]), ("escalate", 1, [0]))

    first = next(iter(result.feedback.values()))
    assert (first["decision_correct"], first["offer_correct"]) == (False, False)
    assert result.score == 57  # 4 of 7 points
    assert result.passed is False


def test_an_escalation_must_pass_on_what_is_needed_and_nothing_more(cases):
    too_much = grade(cases, ("resolve", 0, []), ("escalate", 1, [0, 1]))
    too_little = grade(cases, ("resolve", 0, []), ("escalate", 1, []))

    assert list(too_much.feedback.values())[1]["details_correct"] is False
    assert too_little.score == 86  # 6 of 7 points


def test_an_offer_that_is_never_right_loses_its_point(cases):
    result = grade(cases, ("resolve", 2, []), ("escalate", 1, [0]))
    first = next(iter(result.feedback.values()))
    assert (first["offer_correct"], first["offer_feedback"]) == (False, "Hiding behind policy.")


def test_the_same_case_is_graded_differently_after_the_matrix_changes(cases, matrix):
    answers = [("resolve", 0, []), ("escalate", 1, [0])]
    assert grade(cases, *answers).passed is True

    matrix.rules.filter(action="refund").update(limit=1_000_000)
    matrix.rules.filter(action="replacement").update(limit=10_000_000)

    result = grade(cases, *answers)
    first, second = result.feedback.values()
    assert first["right_decision"] == "escalate"
    assert second["right_decision"] == "resolve"
    assert result.passed is False


def test_the_rule_resolves_up_to_the_limit_and_escalates_beyond(matrix):
    assert matrix.right_decision("refund", 2_000_000) == "resolve"
    assert matrix.right_decision("refund", 2_000_001) == "escalate"
    assert matrix.right_decision("deadline_extension", 14) == "resolve"
    matrix.rules.filter(action="discount").update(limit=0)
    assert EmpowermentMatrix.current().right_decision("discount", 1) == "escalate"


def test_an_action_missing_from_the_matrix_must_be_escalated(cases, matrix):
    matrix.rules.filter(action="refund").delete()
    first = next(iter(grade(cases, ("resolve", 0, []), ("escalate", 1, [0])).feedback.values()))
    assert (first["right_decision"], first["limit"]) == ("escalate", None)


def test_the_feedback_quotes_the_rule_and_the_page_shows_the_matrix(learner_client, learner, index, cases):
    lesson = make_lesson(make_course(index, "Authority"), "Cases", activities=[cases])
    Enrollment.objects.enrol(learner, lesson.get_parent().specific, source="self")
    data = answer(cases, ("escalate", 1, [0]), ("escalate", 1, [0]))

    learner_client.post(f"{lesson.url}activities/{cases.pk}/", data)
    page = learner_client.get(lesson.url).text

    assert Attempt.objects.count() == 1
    assert "You may refund up to 2,000,000 toman on your own." in page
    assert "Your authority: what you may do without asking a manager" in page


def test_a_case_needs_a_decision_and_an_offer(learner_client, learner, index, cases):
    lesson = make_lesson(make_course(index, "Authority"), "Cases", activities=[cases])
    Enrollment.objects.enrol(learner, lesson.get_parent().specific, source="self")

    response = learner_client.post(f"{lesson.url}activities/{cases.pk}/", {})

    assert response.status_code == 400
    assert response.text.count("Answer this question.") == 4
    assert not Attempt.objects.exists()


def test_a_trainer_changes_the_matrix_in_the_admin(trainer_client, matrix):
    rules = list(matrix.rules.all())
    form = {
        "currency": "rial",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules):
        form |= {
            f"rules-{i}-id": str(rule.pk),
            f"rules-{i}-action": rule.action,
            f"rules-{i}-limit": "3000000" if rule.action == "refund" else str(rule.limit),
            f"rules-{i}-ORDER": str(i),
            f"rules-{i}-DELETE": "",
        }

    response = trainer_client.post(f"/admin/settings/empowerment/empowermentmatrix/{matrix.pk}/", form)

    assert response.status_code == 302
    current = EmpowermentMatrix.current()
    assert (current.currency, current.limit_for("refund")) == ("rial", 3_000_000)


def test_a_case_needs_an_offer_for_each_decision():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from modules.empowerment.blocks import CaseBlock

    data = case("refund", 100)
    data["offers"] = [offer for offer in data["offers"] if offer["fits"] != "escalate"]
    block = CaseBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(data))


def test_what_to_pass_on_is_dropped_when_the_learner_resolves(cases):
    first, second = cases.case_list
    answers = cases.clean_submission(answer(cases, ("resolve", 0, [0, 1]), ("escalate", 1, [0])))

    assert answers[first["questions"][2].field_name] == []
    assert answers[second["questions"][2].field_name] == [second["questions"][2].choices[0].id]
