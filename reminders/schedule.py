"""A reminder schedule and the steps it gives: which message goes to whom, on which day around a due date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a reminder says; each kind has its own wording (see ``ReminderWording``)."""

    BEFORE_DUE = "before_due", _("Before the due date")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    MANAGER_COPY = "manager_copy", _("Copy to the manager")
    ESCALATION = "escalation", _("Escalation")
    DIGEST = "digest", _("Weekly digest")


class Audience(models.TextChoices):
    LEARNER = "learner", _("Learner")
    MANAGER = "manager", _("Manager")
    MANAGERS_MANAGER = "managers_manager", _("Manager's manager")


@dataclass(frozen=True)
class Step:
    """One message of a schedule: queued for a cycle due on D on the first sweep from D + ``offset``
    until D + ``offset`` + ``window`` (exclusive), so a cycle that opens late or a missed sweep still
    gets the step that is current, and never a step whose time has passed."""

    name: str
    kind: Kind
    audience: Audience
    offset: int
    window: int


@dataclass(frozen=True)
class Schedule:
    """Days before the due date, the overdue cadence and limit, the manager's copy and the escalation."""

    days_before: tuple[int, ...] = (30, 14, 7, 1)
    overdue_every_days: int = 7
    overdue_limit: int = 4
    copy_manager: bool = True
    escalate_after_days: int = 14

    @classmethod
    def from_setting(cls, value: dict[str, Any]) -> Schedule:
        return cls(**{**value, "days_before": tuple(value.get("days_before", cls.days_before))})

    def steps(self) -> list[Step]:
        """The learner's steps in order (each open until the next begins), then the managers'."""
        learner = [
            (f"before-{days}", Kind.BEFORE_DUE, -days) for days in sorted(set(self.days_before), reverse=True) if days
        ]
        learner.append(("due", Kind.DUE_TODAY, 0))
        every = max(self.overdue_every_days, 1)
        learner += [(f"overdue-{n}", Kind.OVERDUE, n * every) for n in range(1, self.overdue_limit + 1)]
        steps = []
        for position, (name, kind, offset) in enumerate(learner):
            if kind == Kind.DUE_TODAY:
                window = 1  # "Due today" is only true on the day.
            elif position + 1 < len(learner):
                window = learner[position + 1][2] - offset
            else:
                window = every
            steps.append(Step(name, kind, Audience.LEARNER, offset, window))
        if self.copy_manager:
            steps.append(Step("manager-due", Kind.MANAGER_COPY, Audience.MANAGER, 0, 1))
        if self.escalate_after_days:
            steps.append(
                Step("escalation", Kind.ESCALATION, Audience.MANAGERS_MANAGER, self.escalate_after_days, every)
            )
        return steps
