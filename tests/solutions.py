"""Passing answers for every activity type, for tests that play courses through to the end."""

from courses.models import Activity, QuizActivity, ReflectionActivity
from courses.testing import quiz_answers
from modules.active_listening.models import ListeningActivity
from modules.angry_customer.models import ScenarioActivity
from modules.empowerment.models import EmpowermentActivity, EmpowermentMatrix


def passing_posts(activity: Activity) -> list[dict]:
    """The POSTs, in order, that pass ``activity`` with full marks."""
    if isinstance(activity, QuizActivity):
        return [quiz_answers(activity)]
    if isinstance(activity, ReflectionActivity):
        return [{"response": " ".join(["listening"] * max(activity.min_words, 1))}]
    if isinstance(activity, ListeningActivity):
        return [{q.field_name: sorted(q.correct_ids) for q in activity.question_list}]
    if isinstance(activity, EmpowermentActivity):
        return [empowerment_answers(activity)]
    if isinstance(activity, ScenarioActivity):
        replies = {reply.id: step for step in activity.graph.steps.values() for reply in step.replies}
        return [{"step": replies[reply.id].key, "reply": reply.id} for reply in activity.graph.best_path]
    raise NotImplementedError(type(activity))


def empowerment_answers(activity: EmpowermentActivity) -> dict:
    matrix = EmpowermentMatrix.current()
    data = {}
    for case in activity.case_list:
        decision_q, offer_q, details_q = case["questions"]
        right = matrix.right_decision(case["value"]["action"], case["value"]["amount"])
        data[decision_q.field_name] = right
        data[offer_q.field_name] = next(offer for offer, fits in case["fits"].items() if fits == right)
        data[details_q.field_name] = sorted(details_q.correct_ids) if right == "escalate" else []
    return data
