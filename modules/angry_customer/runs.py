"""Playing a scenario: one reply at a time, against the run kept on the server.

Contract:

* A learner has at most one open run of a scenario per cycle. Replies are taken under
  the enrolment's lock, so two tabs or a double click cannot both move a run.
* A reply is taken only at the step the run is at, and only if that step offers it;
  otherwise :class:`~courses.models.SubmissionError` is raised and nothing is stored.
* Reaching an ending grades the run and records it as an attempt, which may complete
  the lesson and the course (:func:`courses.progress.record_attempt`).
* Starting again is idempotent: it opens a fresh run only if the open one has moved on.
* A run left at a step that a newly published version of the scenario no longer has is
  abandoned, and the learner starts again from the first step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Attempt, Grade, SubmissionError
from courses.progress import lock_enrollment, record_attempt
from modules.angry_customer.models import ScenarioActivity, ScenarioRun

if TYPE_CHECKING:
    from courses.progress import LessonVisit


def start_again(visit: LessonVisit, scenario: ScenarioActivity) -> ScenarioRun:
    """Abandon the open run, if any, and open a new one at the first step.

    Idempotent: a run still at the first step with no reply taken is the fresh run asked for, so
    a repeated or doubled "start again" keeps it rather than adding another.
    """
    with transaction.atomic():
        enrollment = lock_enrollment(visit.enrollment)
        open_run = ScenarioRun.objects.open_for(enrollment, scenario)
        if open_run is not None and open_run.current_step == scenario.start and not open_run.path:
            return open_run
        if open_run is not None:
            open_run.end(ending="")
        return ScenarioRun.objects.create(
            enrollment=enrollment, cycle=enrollment.cycle, scenario=scenario, current_step=scenario.start
        )


def take_reply(visit: LessonVisit, scenario: ScenarioActivity, step_key: str, reply_id: str) -> Attempt | None:
    """Move the learner's run on by the reply chosen at ``step_key``; at an ending, the graded attempt."""
    graph = scenario.graph
    with transaction.atomic():
        enrollment = lock_enrollment(visit.enrollment)
        run = ScenarioRun.objects.open_for(enrollment, scenario)
        if run is not None and run.current_step not in graph.steps:
            run.end(ending="")
            run = None
        current = run.current_step if run else scenario.start
        if step_key != current:
            raise SubmissionError(
                _("The conversation has moved on since this page was loaded. It continues below."), status=409
            )
        reply = graph.steps[current].reply(reply_id) if current in graph.steps else None
        if reply is None:
            raise SubmissionError(_("That reply is not offered at this step."))
        if run is None:
            run = ScenarioRun(enrollment=enrollment, cycle=enrollment.cycle, scenario=scenario)
        run.path = [*run.path, reply.id]
        run.current_step = reply.next
        if reply.next not in graph.endings:
            run.save()
            return None
        score, points = graph.score(scenario.replies_taken(run))
        grade = Grade(score=score, passed=score >= visit.pass_mark, feedback={"points": points})
        attempt = record_attempt(visit, scenario, {"path": run.path, "ending": reply.next}, grade)
        run.end(ending=reply.next, attempt=attempt)
        return attempt
