"""Branching scenarios: sound graphs only, a run kept on the server, skills scored, replay."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import Attempt, CourseCompletion, Enrollment
from courses.testing import make_course, make_lesson, publish
from modules.angry_customer.models import ScenarioActivity, ScenarioRun


def reply(text, next_key, **skills):
    return {"text": text, "next": next_key, "feedback": f"Feedback on {text}", "skills": skills}


def scenario_data(**overrides):
    """A small sound scenario: opening → listen → fix → resolved, with a detour through 'angrier'."""
    data = {
        "key": "late",
        "type": "scenario",
        "title": "The late parcel",
        "start": "opening",
        "steps": [
            {
                "key": "opening",
                "situation": "The phone rings.",
                "customer_says": "Where is my parcel?",
                "replies": [
                    reply("I am sorry, that is frustrating.", "listen", acknowledge=2, apologise=1),
                    reply("Calm down, please.", "angrier", arguing=-2),
                ],
            },
            {
                "key": "angrier",
                "situation": "",
                "customer_says": "Don't tell me to calm down!",
                "replies": [
                    reply("You are right, I am sorry.", "listen", apologise=1),
                    reply("That is our policy.", "gone", blaming_policy=-2),
                ],
            },
            {
                "key": "listen",
                "situation": "",
                "customer_says": "It was promised for Tuesday.",
                "replies": [
                    reply("May I have the order number?", "fix", listen=2),
                    reply("Couriers are not our department.", "angrier", passing_the_buck=-2),
                ],
            },
            {
                "key": "fix",
                "situation": "",
                "customer_says": "Here it is.",
                "replies": [
                    reply(
                        "I will send it today and call you at five.", "resolved", ownership=1, solution=2, follow_up=1
                    ),
                    reply("Try again tomorrow.", "gone"),
                ],
            },
        ],
        "endings": [
            {"key": "resolved", "title": "Resolved", "text": "The customer thanks you."},
            {"key": "gone", "title": "Lost", "text": "The customer hangs up."},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def scenario(db):
    return publish(ScenarioActivity.from_content(scenario_data()))


@pytest.fixture
def lesson(index, scenario):
    course = make_course(index, "Complaints", pass_mark=70)
    return make_lesson(course, "Practice", activities=[scenario])


@pytest.fixture
def enrolled(lesson, learner):
    return Enrollment.objects.enrol(learner, lesson.get_parent().specific, source="self")[0]


def reply_id(scenario, step, text):
    return next(r.id for r in scenario.graph.steps[step].replies if r.text == text)


def say(client, lesson, scenario, step, text, **extra):
    data = {"step": step, "reply": reply_id(scenario, step, text), **extra}
    return client.post(f"{lesson.url}activities/{scenario.pk}/", data)


# The graph


def test_a_sound_scenario_has_no_problems(scenario):
    assert scenario.publishing_problems() == []
    assert scenario.graph.best[0] == 9


def steps_without(data, key):
    return [step for step in data["steps"] if step["key"] != key]


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (
            lambda d: d["steps"][3]["replies"].append(reply("Hm.", "nowhere")),
            "leads to “nowhere”, which does not exist",
        ),
        (
            lambda d: d["steps"].append(
                {"key": "island", "situation": "", "customer_says": "?", "replies": [reply("ok", "resolved")]}
            ),
            "No path reaches the step “island”",
        ),
        (lambda d: d.update(endings=[]), "The scenario has no ending"),
        (lambda d: d.update(start="missing"), "The first step “missing” does not exist"),
        (
            lambda d: d["endings"].append({"key": "fix", "title": "x", "text": "y"}),
            "The key “fix” is used more than once",
        ),
    ],
)
def test_every_broken_shape_is_refused(db, broken, problem):
    data = scenario_data()
    broken(data)
    problems = ScenarioActivity.from_content(data).publishing_problems()
    assert any(problem in p for p in problems), problems


def test_a_loop_with_a_way_out_is_sound(db):
    data = scenario_data()
    data["steps"][1]["replies"][1] = reply("That is our policy.", "angrier")
    assert ScenarioActivity.from_content(data).publishing_problems() == []


def test_a_scenario_with_too_many_routes_is_refused(db):
    steps = [
        {
            "key": f"s{n}",
            "situation": "",
            "customer_says": "?",
            "replies": [reply(f"r{n}-{i}", f"s{n + 1}" if n < 6 else "resolved") for i in range(4)],
        }
        for n in range(7)
    ]
    data = scenario_data(start="s0", steps=steps, endings=[{"key": "resolved", "title": "t", "text": "x"}])

    problems = ScenarioActivity.from_content(data).publishing_problems()

    assert any("more than 5000 routes" in p for p in problems)


def test_a_loop_with_no_way_out_is_refused(db):
    data = scenario_data()
    data["steps"].append(
        {
            "key": "trap",
            "situation": "",
            "customer_says": "Again?",
            "replies": [reply("Yes.", "trap2")],
        }
    )
    data["steps"].append(
        {"key": "trap2", "situation": "", "customer_says": "And again?", "replies": [reply("Yes.", "trap")]}
    )
    data["steps"][0]["replies"].append(reply("Let me transfer you.", "trap", passing_the_buck=-1))

    problems = ScenarioActivity.from_content(data).publishing_problems()

    assert any("From the step “trap” there is no way out" in p for p in problems)
    assert any("From the step “trap2” there is no way out" in p for p in problems)


def scenario_form(action: str, next_key: str) -> dict:
    step = {
        "key": "opening",
        "situation": "",
        "customer_says": "Hello?",
        "replies": {
            "count": "1",
            "0": {
                "value": {"text": "Hi", "next": next_key, "feedback": "ok", "skills": {"count": "0"}},
                "deleted": "",
                "order": "0",
            },
        },
    }
    return nested_form_data(
        {
            "title": "From the admin",
            "introduction": "",
            "start": "opening",
            "steps": streamfield([("step", step), ("ending", {"key": "end", "title": "End", "text": "Bye"})]),
            action: action,
        }
    )


def test_the_admin_refuses_to_publish_a_broken_graph_but_keeps_a_draft(trainer_client):
    url = "/admin/snippets/angry_customer/scenarioactivity/add/"

    refused = trainer_client.post(url, scenario_form("action-publish", "nowhere"))
    assert refused.status_code == 200
    assert "leads to “nowhere”, which does not exist" in refused.text
    assert not ScenarioActivity.objects.exists()

    draft = trainer_client.post(url, scenario_form("action-draft", "nowhere"))
    assert draft.status_code == 302
    assert ScenarioActivity.objects.get().live is False

    published = trainer_client.post(url, scenario_form("action-publish", "end"))
    assert published.status_code == 302
    assert ScenarioActivity.objects.filter(live=True).count() == 1


# A run through the views


def test_a_full_run_scores_each_skill_and_completes_the_course(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    say(learner_client, lesson, scenario, "listen", "May I have the order number?")
    response = say(learner_client, lesson, scenario, "fix", "I will send it today and call you at five.")
    assert response.status_code == 302

    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.passed) == (100, True)
    assert attempt.answers["ending"] == "resolved"
    assert attempt.feedback["points"] == {
        "acknowledge": 2,
        "apologise": 1,
        "listen": 2,
        "ownership": 1,
        "solution": 2,
        "follow_up": 1,
    }
    assert CourseCompletion.objects.count() == 1

    page = learner_client.get(lesson.url).text
    assert "Resolved" in page
    assert "2 of 2" in page
    assert "Play again" in page


def test_a_poor_run_loses_points_and_does_not_pass(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "Calm down, please.")
    say(learner_client, lesson, scenario, "angrier", "You are right, I am sorry.")
    say(learner_client, lesson, scenario, "listen", "May I have the order number?")
    say(learner_client, lesson, scenario, "fix", "Try again tomorrow.")

    attempt = Attempt.objects.get()
    assert attempt.answers["ending"] == "gone"
    assert attempt.feedback["points"] == {"apologise": 1, "listen": 2, "arguing": -2}
    assert (attempt.score, attempt.passed) == (11, False)
    assert not CourseCompletion.objects.exists()
    assert "Arguing (penalty)" in learner_client.get(lesson.url).text


def test_a_reply_out_of_turn_is_refused_and_stores_nothing(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    run = ScenarioRun.objects.get()

    # A second tab still showing the opening step.
    stale = say(learner_client, lesson, scenario, "opening", "Calm down, please.")
    # A step the learner has not reached yet.
    ahead = say(learner_client, lesson, scenario, "fix", "Try again tomorrow.")

    assert (stale.status_code, ahead.status_code) == (409, 409)
    assert "The conversation has moved on" in stale.text
    run.refresh_from_db()
    assert (run.current_step, len(run.path)) == ("listen", 1)


def test_a_forged_reply_id_is_refused(learner_client, lesson, scenario, enrolled):
    other_step_reply = reply_id(scenario, "fix", "Try again tomorrow.")
    response = learner_client.post(
        f"{lesson.url}activities/{scenario.pk}/", {"step": "opening", "reply": other_step_reply}
    )

    assert response.status_code == 400
    assert "That reply is not offered at this step." in response.text
    assert not ScenarioRun.objects.exists()


def test_a_forged_field_is_refused(learner_client, lesson, scenario, enrolled, learner):
    response = say(learner_client, lesson, scenario, "opening", "Calm down, please.", user=str(learner.pk))
    assert response.status_code == 400
    assert not ScenarioRun.objects.exists()


def test_a_refresh_shows_the_same_step(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")

    first, second = learner_client.get(lesson.url).text, learner_client.get(lesson.url).text

    for page in (first, second):
        assert 'name="step" value="listen"' in page
        assert "It was promised for Tuesday." in page


def test_replay_starts_a_new_run_and_keeps_the_old_attempt(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    say(learner_client, lesson, scenario, "listen", "May I have the order number?")
    say(learner_client, lesson, scenario, "fix", "Try again tomorrow.")

    learner_client.post(f"{lesson.url}activities/{scenario.pk}/", {"restart": "1"})
    page = learner_client.get(lesson.url).text
    assert 'name="step" value="opening"' in page

    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    say(learner_client, lesson, scenario, "listen", "May I have the order number?")
    say(learner_client, lesson, scenario, "fix", "I will send it today and call you at five.")

    assert list(Attempt.objects.order_by("submitted_at", "pk").values_list("passed", flat=True)) == [False, True]
    assert ScenarioRun.objects.filter(ended_at__isnull=True).count() == 0
    assert list(ScenarioRun.objects.order_by("pk").values_list("ending", flat=True)) == ["gone", "resolved"]


def test_starting_again_mid_run_abandons_it(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")

    learner_client.post(f"{lesson.url}activities/{scenario.pk}/", {"restart": "1"})

    abandoned, fresh = ScenarioRun.objects.order_by("pk")
    assert abandoned.ended_at is not None
    assert abandoned.attempt is None
    assert (fresh.current_step, fresh.path, fresh.ended_at) == ("opening", [], None)
    assert not Attempt.objects.exists()


def test_a_run_survives_a_new_version_of_the_scenario(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    data = scenario_data()
    data["steps"][2]["key"] = "questions"
    data["steps"][0]["replies"][0]["next"] = "questions"
    data["steps"][1]["replies"][0]["next"] = "questions"
    new_version = ScenarioActivity.from_content(data)
    scenario.steps, scenario.start = new_version.steps, new_version.start
    scenario.save_revision().publish()
    scenario = ScenarioActivity.objects.get(pk=scenario.pk)

    page = learner_client.get(lesson.url)
    assert 'name="step" value="opening"' in page.text

    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    say(learner_client, lesson, scenario, "questions", "May I have the order number?")
    response = say(learner_client, lesson, scenario, "fix", "I will send it today and call you at five.")

    assert response.status_code == 302
    assert Attempt.objects.get().passed is True


def test_an_open_run_of_an_earlier_cycle_does_not_block_the_next(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    Enrollment.objects.filter(pk=enrolled.pk).update(cycle=2)

    response = say(learner_client, lesson, scenario, "opening", "Calm down, please.")

    assert response.status_code == 302
    assert ScenarioRun.objects.filter(cycle=2, current_step="angrier").exists()
    assert ScenarioRun.objects.filter(cycle=1, current_step="listen").exists()


def test_a_refused_reply_is_explained_in_the_learners_language(learner_client, lesson, scenario, enrolled, fa):
    from courses.testing import translate

    translate(lesson.get_parent().specific, fa, title="شکایت‌ها")
    persian_lesson = translate(lesson, fa, title="تمرین")
    url = f"{persian_lesson.url}activities/{scenario.pk}/"

    response = learner_client.post(url, {"step": "fix", "reply": reply_id(scenario, "fix", "Try again tomorrow.")})

    assert response.status_code == 409
    assert "از زمانی که این صفحه باز شد، گفت‌وگو جلو رفته است." in response.text


def test_starting_again_twice_keeps_one_fresh_run(learner_client, lesson, scenario, enrolled):
    say(learner_client, lesson, scenario, "opening", "I am sorry, that is frustrating.")
    url = f"{lesson.url}activities/{scenario.pk}/"

    statuses = [learner_client.post(url, {"restart": "1"}).status_code for _ in range(20)]

    assert set(statuses) == {302}
    abandoned, fresh = ScenarioRun.objects.order_by("pk")
    assert abandoned.ended_at is not None
    assert (fresh.current_step, fresh.path, fresh.ended_at) == ("opening", [], None)
