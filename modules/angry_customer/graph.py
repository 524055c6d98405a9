"""A branching scenario as a graph: steps with replies that lead to other steps or to endings.

Pure Python, so the rules of a sound scenario and of its scoring read in one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from django.utils.translation import gettext as _

#: Routes through a scenario (from the start to an ending, visiting no step twice) that
#: scoring looks at; a scenario with more is refused, so scoring stays fast.
MAX_ROUTES = 5_000

#: Skills a reply can score on, and penalties it can incur (negative points).
SKILLS = ("acknowledge", "apologise", "listen", "ownership", "solution", "follow_up")
PENALTIES = ("arguing", "blaming_policy", "passing_the_buck")


@dataclass(frozen=True)
class Reply:
    id: str
    text: str
    next: str
    feedback: str
    points: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.points.values())


@dataclass(frozen=True)
class Step:
    key: str
    situation: str
    customer_says: str
    replies: list[Reply]

    def reply(self, reply_id: str) -> Reply | None:
        return next((reply for reply in self.replies if reply.id == reply_id), None)


@dataclass(frozen=True)
class Ending:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class ScenarioGraph:
    start: str
    steps: dict[str, Step]
    endings: dict[str, Ending]
    duplicate_keys: tuple[str, ...] = ()

    @classmethod
    def build(cls, start: str, steps: list[Step], endings: list[Ending]) -> ScenarioGraph:
        counts = Counter([step.key for step in steps] + [ending.key for ending in endings])
        return cls(
            start=start,
            steps={step.key: step for step in steps},
            endings={ending.key: ending for ending in endings},
            duplicate_keys=tuple(sorted(key for key, count in counts.items() if count > 1)),
        )

    def problems(self) -> list[str]:
        """Why this scenario cannot be played, or an empty list when it is sound."""
        problems = [_("The key “%(key)s” is used more than once.") % {"key": key} for key in self.duplicate_keys]
        if not self.endings:
            problems.append(_("The scenario has no ending."))
        if self.start not in self.steps:
            problems.append(_("The first step “%(key)s” does not exist.") % {"key": self.start})
            return problems
        for step in self.steps.values():
            for reply in step.replies:
                if reply.next not in self.steps and reply.next not in self.endings:
                    problems.append(
                        _("In step “%(step)s”, the reply “%(reply)s” leads to “%(next)s”, which does not exist.")
                        % {"step": step.key, "reply": reply.text, "next": reply.next}
                    )
        reachable = self._reachable_from(self.start)
        for key in self.steps.keys() - reachable:
            problems.append(_("No path reaches the step “%(key)s”.") % {"key": key})
        if self.endings:
            for key in sorted(reachable & self.steps.keys()):
                if not self._reachable_from(key) & self.endings.keys():
                    problems.append(_("From the step “%(key)s” there is no way out to an ending.") % {"key": key})
        if len(self._routes) > MAX_ROUTES:
            problems.append(
                _("There are more than %(count)s routes through this scenario; join some branches.")
                % {"count": MAX_ROUTES}
            )
        return problems

    def _reachable_from(self, key: str) -> set[str]:
        seen, stack = set(), [key]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.steps:
                stack.extend(reply.next for reply in self.steps[current].replies)
        return seen

    @cached_property
    def best(self) -> tuple[int, dict[str, int]]:
        """The points of the best run, in all and per skill: what a score of 100% stands for."""
        points = _points(self.best_path)
        return sum(points.values()), {skill: points.get(skill, 0) for skill in SKILLS}

    @cached_property
    def best_path(self) -> list[Reply]:
        """The replies of a run that collects the most points."""
        return max(self._routes, key=lambda path: sum(_points(path).values()), default=[])

    @cached_property
    def _routes(self) -> list[list[Reply]]:
        """Runs from the start to an ending that visit no step twice, as their replies; one more than
        :data:`MAX_ROUTES` at the most."""
        return list(islice(self._walk(), MAX_ROUTES + 1))

    def _walk(self):
        stack = [(self.start, frozenset(), [])]
        while stack:
            key, visited, replies = stack.pop()
            if key in self.endings:
                yield replies
            elif key in self.steps and key not in visited:
                for reply in self.steps[key].replies:
                    stack.append((reply.next, visited | {key}, [*replies, reply]))

    def score(self, replies: list[Reply]) -> tuple[int, dict[str, int]]:
        """A run's score in percent of the best run, and its points per skill and penalty.

        A reply chosen twice (round a loop) counts once.
        """
        points = _points(replies)
        best_total, _per_skill = self.best
        percent = round(100 * sum(points.values()) / best_total) if best_total > 0 else 100
        return max(0, min(100, percent)), {key: points[key] for key in (*SKILLS, *PENALTIES) if points.get(key)}


def _points(replies: list[Reply]) -> dict[str, int]:
    """The points of a run's replies per skill and penalty; a reply chosen twice (round a loop) counts once."""
    points: Counter = Counter()
    for reply in {reply.id: reply for reply in replies}.values():
        points.update(reply.points)
    return points
