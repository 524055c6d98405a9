"""Branching role-play: the learner handles an upset customer one reply at a time."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from courses.blocks import stream_from_content
from courses.models import Activity, Attempt, Enrollment, Grade, SubmissionError
from courses.progress import lock_enrollment, record_attempt
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
        runs = ScenarioRun.objects.filter(
            enrollment=visit.enrollment,
            cycle=visit.enrollment.cycle,
            scenario__in=[state.activity for state in states],
        ).select_related("attempt")
        latest: dict[int, ScenarioRun] = {}
        for run in runs.order_by("-started_at", "-pk"):
            latest.setdefault(run.scenario_id, run)
        for state in states:
            state.extra["run"] = latest.get(state.activity.pk)

    def get_context(self, request, state):
        context = super().get_context(request, state)
        run: ScenarioRun | None = state.extra.get("run")
        replies = self.graph_replies()
        context["taken"] = [replies[reply_id] for reply_id in run.path if reply_id in replies] if run else []
        if run and run.ended_at:
            context.update(ending=self.graph.endings.get(run.ending), skills=self.skill_results(run))
        else:
            context["step"] = self.graph.steps.get(run.current_step if run else self.start)
        return context

    def graph_replies(self) -> dict[str, tuple[Step, Reply]]:
        return {reply.id: (step, reply) for step in self.graph.steps.values() for reply in step.replies}

    def skill_results(self, run: ScenarioRun) -> list[dict]:
        """Each skill's points in ``run`` against the most a run can collect, then any penalties."""
        labels = dict(SKILL_CHOICES)
        points = run.attempt.feedback.get("points", {}) if run.attempt else {}
        _best_total, best = self.graph.best
        results = [
            {"label": labels[skill], "points": points.get(skill, 0), "best": best[skill]}
            for skill in SKILLS
            if best[skill]
        ]
        results += [
            {"label": labels[penalty], "points": points[penalty], "penalty": True}
            for penalty in PENALTIES
            if points.get(penalty)
        ]
        return results

    # Submission: one reply at a time, checked against the run kept on the server.

    def submission_fields(self) -> set[str]:
        return {"step", "reply", "restart"}

    def clean_answers(self, data) -> dict:
        return {"restart": "restart" in data, "step": data.get("step", ""), "reply": data.get("reply", "")}

    def submit(self, request, visit: LessonVisit) -> Attempt | None:
        submission = self.clean_submission(request.POST)
        with transaction.atomic():
            enrollment = lock_enrollment(visit.enrollment)
            run = ScenarioRun.objects.filter(enrollment=enrollment, scenario=self, ended_at__isnull=True).first()
            if submission["restart"]:
                if run is not None:
                    run.end(ending="")
                ScenarioRun.objects.create(
                    enrollment=enrollment, cycle=enrollment.cycle, scenario=self, current_step=self.start
                )
                return None
            return self._take_reply(visit, enrollment, run, submission["step"], submission["reply"])

    def _take_reply(
        self, visit: LessonVisit, enrollment: Enrollment, run: ScenarioRun | None, step_key: str, reply_id: str
    ) -> Attempt | None:
        current = run.current_step if run else self.start
        if step_key != current:
            raise SubmissionError(
                _gettext("The conversation has moved on since this page was loaded. It continues below."),
                status=409,
            )
        step = self.graph.steps.get(current)
        reply = step.reply(reply_id) if step else None
        if reply is None:
            raise SubmissionError(_gettext("That reply is not offered at this step."))
        if run is None:
            run = ScenarioRun(enrollment=enrollment, cycle=enrollment.cycle, scenario=self)
        run.path = [*run.path, reply.id]
        run.current_step = reply.next
        if reply.next not in self.graph.endings:
            run.save()
            return None
        replies = self.graph_replies()
        score, points = self.graph.score([replies[reply_id][1] for reply_id in run.path])
        grade = Grade(score=score, passed=score >= visit.course.pass_mark, feedback={"points": points})
        attempt = record_attempt(visit, self, {"path": run.path, "ending": reply.next}, grade)
        run.end(ending=reply.next, attempt=attempt)
        return attempt


def _reply_from_content(reply: dict) -> dict:
    skills = [{"skill": skill, "points": points} for skill, points in reply.get("skills", {}).items()]
    return {**reply, "skills": skills}


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

    class Meta:
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "scenario"],
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
