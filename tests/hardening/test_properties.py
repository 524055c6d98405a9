"""Property-based tests (hypothesis): grading stays in range and is deterministic; a scenario that
passes validation can always be finished."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils.timezone import make_aware
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import CourseCompletion, Cycle, Enrollment, Status
from courses.models.policy import RefresherPolicy, Renewal
from courses.testing import query_dict
from modules.angry_customer.graph import PENALTIES, SKILLS, Ending, Reply, ScenarioGraph, Step

FIXTURES_ONCE = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@FIXTURES_ONCE
@given(data=st.data(), pass_mark=st.integers(min_value=0, max_value=100))
def test_a_quiz_grade_is_in_range_deterministic_and_passes_at_the_mark(quiz, data, pass_mark):
    answers = {}
    for question in quiz.question_list:
        ids = [choice.id for choice in question.choices]
        if question.multiple:
            chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        else:
            chosen = [data.draw(st.sampled_from(ids))]
        answers[question.field_name] = chosen
    cleaned = quiz.clean_submission(query_dict(answers))

    first, second = quiz.grade(cleaned, pass_mark), quiz.grade(cleaned, pass_mark)

    assert first == second
    assert 0 <= first.score <= 100
    assert first.passed == (first.score >= pass_mark)
    right = sum(question.is_right(answers[question.field_name]) for question in quiz.question_list)
    assert (first.score == 100) == (right == len(quiz.question_list))
    assert (first.score == 0) == (right == 0)


# Random scenario graphs: a few step keys and ending keys, replies leading anywhere (or nowhere).

STEP_KEYS = ["a", "b", "c", "d", "e"]
ENDING_KEYS = ["good", "bad"]
points = st.dictionaries(st.sampled_from(SKILLS + PENALTIES), st.integers(min_value=-3, max_value=3), max_size=3)


@st.composite
def graphs(draw) -> ScenarioGraph:
    step_keys = draw(st.lists(st.sampled_from(STEP_KEYS), min_size=1, max_size=5))
    ending_keys = draw(st.lists(st.sampled_from(ENDING_KEYS), max_size=2))
    targets = st.sampled_from([*STEP_KEYS, *ENDING_KEYS, "missing"])
    steps = []
    for number, key in enumerate(step_keys):
        replies = [
            Reply(f"{number}-{index}", f"reply {index}", draw(targets), "", draw(points))
            for index in range(draw(st.integers(min_value=0, max_value=3)))
        ]
        steps.append(Step(key, "", "", replies))
    endings = [Ending(key, key, "") for key in ending_keys]
    return ScenarioGraph.build(draw(st.sampled_from([*step_keys, "missing"])), steps, endings)


def can_finish_from(graph: ScenarioGraph, key: str) -> bool:
    """A plain search, independent of the graph's own: some sequence of replies reaches an ending."""
    seen, frontier = set(), [key]
    while frontier:
        current = frontier.pop()
        if current in graph.endings:
            return True
        if current in seen or current not in graph.steps:
            continue
        seen.add(current)
        frontier.extend(reply.next for reply in graph.steps[current].replies)
    return False


@settings(max_examples=500, deadline=None)
@given(graph=graphs(), choices=st.lists(st.integers(min_value=0, max_value=10), max_size=30))
def test_a_scenario_is_refused_or_can_always_be_finished(graph, choices):
    if graph.problems():
        return
    # Wherever a learner's replies lead, the step exists and an ending can still be reached.
    key, taken = graph.start, []
    for choice in choices:
        if key in graph.endings:
            break
        assert key in graph.steps
        assert can_finish_from(graph, key)
        reply = graph.steps[key].replies[choice % len(graph.steps[key].replies)]
        taken.append(reply)
        key = reply.next
    score, _points = graph.score(taken)
    assert 0 <= score <= 100
    assert graph.score(taken) == (score, _points)


@settings(max_examples=300, deadline=None)
@given(graph=graphs())
def test_a_scenario_with_a_dead_end_or_a_broken_link_is_refused(graph):
    reachable = {graph.start}
    frontier = [graph.start]
    while frontier:
        current = frontier.pop()
        for reply in graph.steps[current].replies if current in graph.steps else []:
            if reply.next not in reachable:
                reachable.add(reply.next)
                frontier.append(reply.next)
    stuck = any(key not in graph.endings and not can_finish_from(graph, key) for key in reachable)
    broken = graph.start not in graph.steps or any(
        reply.next not in graph.steps and reply.next not in graph.endings
        for step in graph.steps.values()
        for reply in step.replies
    )
    if stuck or broken or graph.duplicate_keys:
        assert graph.problems()


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")


# The status annotation against a small model of the rules in docs/refreshers.md, over random timelines.


def expected_status(*, completed: date, policy: RefresherPolicy, enrolled: date, due: date | None, day: date) -> str:
    """The status on ``day`` of an enrolment opened on ``enrolled``, due on ``due``, completed on ``completed``."""
    if day < completed:
        return Status.OVERDUE if enrolled <= day and due is not None and due < day else Status.NOT_STARTED
    validity = policy.validity(completed)
    if validity.until is None:
        return Status.VALID
    if day > validity.grace_until:
        return Status.EXPIRED
    if day > validity.until:
        return Status.IN_GRACE
    if day >= validity.refresher_opens_on:
        return Status.REFRESHER_DUE
    return Status.VALID


policies = st.builds(
    RefresherPolicy,
    renewal=st.sampled_from([Renewal.NEVER, Renewal.EVERY_N_MONTHS, Renewal.FIXED_DATE]),
    every_months=st.integers(min_value=1, max_value=36),
    fixed_month=st.integers(min_value=1, max_value=12),
    fixed_day=st.integers(min_value=1, max_value=31),
    window_days=st.integers(min_value=0, max_value=90),
    grace_days=st.integers(min_value=0, max_value=60),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    policy=policies,
    completed=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    enrolled_before=st.integers(min_value=0, max_value=200),
    due_after=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    day_offset=st.integers(min_value=-300, max_value=1500),
)
def test_the_status_annotation_follows_the_refresher_rules(
    course, learner, policy, completed, enrolled_before, due_after, day_offset
):
    enrollment = Enrollment.objects.enrol(learner, course, source="assigned")[0]
    enrolled = completed - timedelta(days=enrolled_before)
    due = None if due_after is None else enrolled + timedelta(days=due_after)
    Cycle.objects.filter(enrollment=enrollment, number=1).update(opened_on=enrolled, due_on=due)
    completion = CourseCompletion(
        enrollment=enrollment, cycle=1, completed_at=make_aware(datetime.combine(completed, time(12)))
    )
    completion.set_validity(policy.validity(completed))
    completion.save()
    day = completed + timedelta(days=day_offset)
    try:
        status = Enrollment.objects.with_status(on=day).get(pk=enrollment.pk).status
        assert status == expected_status(completed=completed, policy=policy, enrolled=enrolled, due=due, day=day)
    finally:
        completion.delete()


def test_a_run_round_a_loop_scores_at_most_100():
    # The best route visits no step twice; a run round the loop collects more distinct replies' points.
    steps = [
        Step("a", "", "", [Reply("r1", "", "b", "", {"listen": 2}), Reply("r2", "", "good", "", {})]),
        Step("b", "", "", [Reply("r3", "", "a", "", {"acknowledge": 2}), Reply("r4", "", "good", "", {})]),
    ]
    graph = ScenarioGraph.build("a", steps, [Ending("good", "Good", "")])
    r1, r2 = steps[0].replies
    r3 = steps[1].replies[0]

    assert graph.problems() == []
    assert graph.best[0] == 2
    assert graph.score([r1, r3, r2])[0] == 100
