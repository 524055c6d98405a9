"""Branching role-play: the learner handles an upset customer one reply at a time."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from courses.blocks import stream_from_content
from courses.models import Activity, Attempt, Enrollment
from modules.angry_customer.blocks import SKILL_CHOICES, ScenarioStreamBlock, step_key_validator
from modules.angry_customer.graph import PENALTIES, SKILLS, Ending, Reply, ScenarioGraph, Step

if TYPE_CHECKING:
    from courses.models import ActivityState
    from courses.progress import LessonVisit


class ScenarioActivity(Activity):
    """A conversation with an upset customer: steps, replies that branch, endings, and skills scored."""

    start = models.CharField(
        _("first step"),
        max_length=50,
        validators=[step_key_validator],
        help_text=_("The key of the step the conversation starts at."),
    )
    steps = StreamField(ScenarioStreamBlock(), verbose_name=_("steps and endings"))

    panels = [FieldPanel("title"), FieldPanel("introduction"), FieldPanel("start"), FieldPanel("steps")]

    template_name = "angry_customer/scenario.html"
    content_type_name = "scenario"

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    @classmethod
    def from_content(cls, data):
        scenario = super().from_content(data)
        scenario.start = data["start"]
        raw = [
            {"type": "step", "value": {**step, "replies": [_reply_from_content(r) for r in step["replies"]]}}
            for step in data["steps"]
        ] + [{"type": "ending", "value": ending} for ending in data["endings"]]
        scenario.steps = stream_from_content(cls, "steps", raw)
        return scenario

    @cached_property
    def graph(self) -> ScenarioGraph:
        return self.build_graph()

    def build_graph(self) -> ScenarioGraph:
        steps, endings = [], []
        for child in self.steps:
            value = child.value
            if child.block_type == "ending":
                endings.append(Ending(value["key"], value["title"], value["text"]))
                continue
            replies = []
            for item in value["replies"].bound_blocks:
                points: dict[str, int] = {}
                for score in item.value["skills"]:
                    points[score["skill"]] = points.get(score["skill"], 0) + score["points"]
                replies.append(Reply(item.id, item.value["text"], item.value["next"], item.value["feedback"], points))
            steps.append(Step(value["key"], value["situation"], value["customer_says"], replies))
        return ScenarioGraph.build(self.start, steps, endings)

    def publishing_problems(self) -> list[str]:
        # Built afresh: an admin form has just put new steps on this instance.
        return self.build_graph().problems()

    # Learner state: the run in progress, or the last one finished.

    @classmethod
    def load_learner_state(cls, states: list[ActivityState], visit: LessonVisit) -> None:
        runs = ScenarioRun.objects.latest_per_scenario(visit.enrollment, [state.activity for state in states])
        for state in states:
            state.extra["run"] = runs.get(state.activity.pk)

    def get_context(self, request, state):
        context = super().get_context(request, state)
        run: ScenarioRun | None = state.extra.get("run")
        if run is not None and run.ended_at is None and run.current_step not in self.graph.steps:
            run = None  # left at a step this version of the scenario no longer has: it starts again
        context["taken"] = self.steps_and_replies_taken(run) if run else []
        if run is not None and run.ended_at is not None:
            context.update(finished=True, ending=self.graph.endings.get(run.ending), skills=self.skill_results(run))
        else:
            context["step"] = self.graph.steps.get(run.current_step if run else self.start)
        return context

    def steps_and_replies_taken(self, run: ScenarioRun) -> list[tuple[Step, Reply]]:
        """The run's way through this version of the scenario; replies it no longer has are left out."""
        by_id = {reply.id: (step, reply) for step in self.graph.steps.values() for reply in step.replies}
        return [by_id[reply_id] for reply_id in run.path if reply_id in by_id]

    def replies_taken(self, run: ScenarioRun) -> list[Reply]:
        return [reply for _step, reply in self.steps_and_replies_taken(run)]

    def skill_results(self, run: ScenarioRun) -> list[dict]:
        """Each skill's points in ``run`` against the best run's, then any penalties."""
        labels = dict(SKILL_CHOICES)
        points = run.attempt.feedback.get("points", {}) if run.attempt else {}
        _best_total, best = self.graph.best
        results = [
            {"label": labels[skill], "points": points.get(skill, 0), "best": best[skill]}
            for skill in SKILLS
            if best[skill] or points.get(skill)
        ]
        results += [
            {"label": labels[penalty], "points": points[penalty], "penalty": True}
            for penalty in PENALTIES
            if points.get(penalty)
        ]
        return results

    # Submission: one reply at a time (see modules/angry_customer/runs.py).

    def submission_fields(self) -> set[str]:
        return {"step", "reply", "restart"}

    def clean_answers(self, data) -> dict:
        return {"restart": "restart" in data, "step": data.get("step", ""), "reply": data.get("reply", "")}

    def submit(self, request, visit: LessonVisit) -> Attempt | None:
        from modules.angry_customer import runs

        submission = self.clean_submission(request.POST)
        if submission["restart"]:
            runs.start_again(visit, self)
            return None
        return runs.take_reply(visit, self, submission["step"], submission["reply"])


def _reply_from_content(reply: dict) -> dict:
    skills = [{"skill": skill, "points": points} for skill, points in reply.get("skills", {}).items()]
    return {**reply, "skills": skills}


class ScenarioRunQuerySet(models.QuerySet):
    def open_for(self, enrollment: Enrollment, scenario: ScenarioActivity) -> ScenarioRun | None:
        """The learner's run of ``scenario`` in progress this cycle, if any."""
        return self.filter(
            enrollment=enrollment, cycle=enrollment.cycle, scenario=scenario, ended_at__isnull=True
        ).first()

    def latest_per_scenario(self, enrollment: Enrollment, scenarios: list[ScenarioActivity]) -> dict:
        """The learner's latest run this cycle of each of ``scenarios``, by scenario id, in one query."""
        runs = self.filter(enrollment=enrollment, cycle=enrollment.cycle)
        latest = runs.filter(scenario=models.OuterRef("scenario")).order_by("-started_at", "-pk").values("pk")[:1]
        found = runs.filter(scenario__in=scenarios, pk=models.Subquery(latest)).select_related("attempt")
        return {run.scenario_id: run for run in found}


class ScenarioRun(models.Model):
    """One play of a scenario by a learner, kept step by step so that no tab or refresh can skip a step."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveIntegerField(_("cycle"))
    scenario = models.ForeignKey(ScenarioActivity, on_delete=models.PROTECT, related_name="runs")
    current_step = models.CharField(_("current step"), max_length=50, blank=True)
    path = models.JSONField(_("replies taken"), default=list)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ending = models.CharField(_("ending reached"), max_length=50, blank=True)
    attempt = models.OneToOneField(Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScenarioRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle", "scenario"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_run_per_scenario",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} – {self.enrollment_id}"

    def end(self, *, ending: str, attempt: Attempt | None = None) -> None:
        """Finish the run at ``ending`` with its graded attempt, or abandon it (no ending)."""
        self.current_step, self.ending, self.attempt = "", ending, attempt
        self.ended_at = timezone.now()
        self.save()
