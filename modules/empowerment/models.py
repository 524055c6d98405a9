"""Empowerment: the organisation's matrix of what staff may do on their own, and cases graded against it."""

from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable

from courses.blocks import stream_from_content
from courses.formatting import local_number
from courses.models import Activity, Grade
from courses.models.activities import Choice, ChoiceQuestion, ChoiceQuestionsMixin
from modules.empowerment.blocks import ACTIONS, DECISIONS, CaseBlock

CURRENCIES = [("toman", _("toman")), ("rial", _("rial")), ("usd", _("US dollars")), ("eur", _("euros"))]

#: The matrix a new site starts with.
DEFAULT_LIMITS = {
    "refund": 2_000_000,
    "replacement": 5_000_000,
    "fee_waiver": 500_000,
    "discount": 1_000_000,
    "deadline_extension": 14,
}

RULE_SENTENCES = {
    "refund": _("You may refund up to %(limit)s %(unit)s on your own."),
    "replacement": _("You may replace an item worth up to %(limit)s %(unit)s on your own."),
    "fee_waiver": _("You may waive a fee of up to %(limit)s %(unit)s on your own."),
    "discount": _("You may give a discount of up to %(limit)s %(unit)s on your own."),
    "deadline_extension": _("You may extend a deadline by up to %(limit)s %(unit)s on your own."),
}


@register_setting(icon="key")
class EmpowermentMatrix(BaseGenericSetting, ClusterableModel):
    """What frontline staff may do on their own, without asking a manager. Trainers change it in the admin."""

    currency = models.CharField(_("currency"), max_length=10, choices=CURRENCIES, default="toman")

    panels = [FieldPanel("currency"), InlinePanel("rules", label=_("rule"))]

    class Meta:
        verbose_name = _("empowerment matrix")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> EmpowermentMatrix:
        """The matrix with its rules, in one query when it has rules."""
        rules = list(EmpowermentRule.objects.select_related("matrix"))
        if not rules:
            return cls.load()
        matrix = rules[0].matrix
        matrix.current_rules = rules
        return matrix

    @property
    def rule_list(self) -> list[EmpowermentRule]:
        return getattr(self, "current_rules", None) or list(self.rules.all())

    def limit_for(self, action: str) -> int | None:
        """The most staff may give on their own for ``action``; ``None`` when the matrix does not allow it."""
        return next((rule.limit for rule in self.rule_list if rule.action == action), None)

    def right_decision(self, action: str, amount: int) -> str:
        """``"resolve"`` when staff may give ``amount`` for ``action`` on their own, else ``"escalate"``."""
        limit = self.limit_for(action)
        return "resolve" if limit and amount <= limit else "escalate"

    def unit_for(self, action: str) -> str:
        return gettext("days") if action == "deadline_extension" else self.get_currency_display()

    def add_default_rules(self) -> None:
        EmpowermentRule.objects.bulk_create(
            EmpowermentRule(matrix=self, action=action, limit=limit, sort_order=position)
            for position, (action, limit) in enumerate(DEFAULT_LIMITS.items())
        )


class EmpowermentRule(Orderable):
    matrix = ParentalKey(EmpowermentMatrix, on_delete=models.CASCADE, related_name="rules")
    action = models.CharField(_("staff may"), max_length=30, choices=ACTIONS)
    limit = models.PositiveIntegerField(
        _("up to"),
        help_text=_(
            "An amount in the matrix's currency, or days for a deadline extension. 0: never without a manager."
        ),
    )

    panels = [FieldPanel("action"), FieldPanel("limit")]

    class Meta(Orderable.Meta):
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [models.UniqueConstraint(fields=["matrix", "action"], name="one_rule_per_action")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.limit}"


class EmpowermentActivity(ChoiceQuestionsMixin, Activity):
    """Customer cases: resolve it yourself or escalate, what to offer, what to pass on; graded against the matrix."""

    cases = StreamField([("case", CaseBlock())], verbose_name=_("cases"))

    panels = [FieldPanel("title"), FieldPanel("introduction"), FieldPanel("cases")]

    template_name = "empowerment/cases.html"
    content_type_name = "empowerment"

    class Meta:
        verbose_name = _("empowerment cases")
        verbose_name_plural = _("empowerment cases")

    @classmethod
    def from_content(cls, data):
        activity = super().from_content(data)
        activity.cases = stream_from_content(cls, "cases", [{"type": "case", "value": case} for case in data["cases"]])
        return activity

    @cached_property
    def case_list(self) -> list[dict]:
        """Each case with its questions: the decision, the offer, and what to pass on."""
        cases = []
        for child in self.cases:
            value = child.value
            decision = ChoiceQuestion(
                f"decision-{child.id}",
                gettext("Can you resolve this yourself?"),
                [Choice(key, str(label)) for key, label in DECISIONS],
            )
            offer = ChoiceQuestion(
                f"offer-{child.id}",
                gettext("What do you offer the customer?"),
                [
                    Choice(item.id, item.value["text"], feedback=item.value["feedback"])
                    for item in value["offers"].bound_blocks
                ],
            )
            details = ChoiceQuestion(
                f"details-{child.id}",
                gettext("If you escalate, what do you pass on to the manager?"),
                [Choice(item.id, item.value["text"], item.value["needed"]) for item in value["details"].bound_blocks],
                multiple=True,
                required=False,
            )
            fits = {item.id: item.value["fits"] for item in value["offers"].bound_blocks}
            cases.append({"id": child.id, "value": value, "questions": [decision, offer, details], "fits": fits})
        return cases

    @property
    def question_list(self) -> list[ChoiceQuestion]:
        return [question for case in self.case_list for question in case["questions"]]

    def clean_answers(self, data) -> dict[str, list[str]]:
        """What to pass on is asked only when escalating: with a decision to resolve, it is dropped."""
        answers = super().clean_answers(data)
        for case in self.case_list:
            decision_q, _offer_q, details_q = case["questions"]
            if answers[decision_q.field_name] == ["resolve"]:
                answers[details_q.field_name] = []
        return answers

    @classmethod
    def load_learner_state(cls, states, visit) -> None:
        matrix = EmpowermentMatrix.current()
        for state in states:
            state.extra["matrix"] = matrix

    def get_context(self, request, state):
        context = super().get_context(request, state)
        matrix = state.extra.get("matrix") or EmpowermentMatrix.current()
        rows = self.question_rows(state)
        context["matrix"] = [
            {"action": rule.get_action_display(), "limit": rule.limit, "unit": matrix.unit_for(rule.action)}
            for rule in matrix.rule_list
        ]
        context["cases"] = []
        attempt = state.latest_attempt if state.submitted is None else None
        for case in self.case_list:
            verdict = attempt.feedback.get(case["id"]) if attempt else None
            if verdict:
                verdict = {**verdict, "rule": rule_sentence(verdict["action"], verdict["limit"], matrix)}
            context["cases"].append(
                {
                    "value": case["value"],
                    "action": dict(ACTIONS)[case["value"]["action"]],
                    "unit": matrix.unit_for(case["value"]["action"]),
                    "verdict": verdict,
                    "decision": rows[case["questions"][0].field_name],
                    "offer": rows[case["questions"][1].field_name],
                    "details": rows[case["questions"][2].field_name],
                }
            )
        return context

    def grade(self, answers, pass_mark: int) -> Grade:
        """Grade each case against the matrix as it stands now: 2 points for the decision, 1 for the offer,
        and 1 for passing on exactly what the manager needs when the case must be escalated."""
        matrix = EmpowermentMatrix.current()
        earned = possible = 0
        feedback = {}
        for case in self.case_list:
            decision_q, offer_q, details_q = case["questions"]
            action, amount = case["value"]["action"], case["value"]["amount"]
            limit = matrix.limit_for(action)
            right = matrix.right_decision(action, amount)
            decision = answers[decision_q.field_name][0]
            offer_id = answers[offer_q.field_name][0]
            verdict = {
                "action": action,
                "amount": amount,
                "limit": limit,
                "right_decision": right,
                "decision_correct": decision == right,
                "offer_correct": case["fits"][offer_id] == right,
                "offer_feedback": offer_q.choice(offer_id).feedback,
            }
            earned += 2 * verdict["decision_correct"] + verdict["offer_correct"]
            possible += 3
            if right == "escalate":
                passed_on = answers[details_q.field_name]
                verdict["details_correct"] = decision == "escalate" and details_q.is_right(passed_on)
                earned += verdict["details_correct"]
                possible += 1
            feedback[case["id"]] = verdict
        score = round(100 * earned / possible)
        return Grade(score=score, passed=score >= pass_mark, feedback=feedback)


def rule_sentence(action: str, limit: int | None, matrix: EmpowermentMatrix) -> str:
    """The matrix's rule for ``action``, as a sentence to quote to the learner."""
    if not limit:
        return gettext("The matrix does not let you do this without a manager.")
    return RULE_SENTENCES[action] % {"limit": local_number(limit), "unit": matrix.unit_for(action)}
