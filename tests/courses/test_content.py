"""The training modules install in both languages, once, without touching later edits, and can be completed."""

import tomllib

import pytest
from wagtail.models import Page, Revision

from courses.content import ContentError, install_training_modules, training_modules
from courses.models import Activity, AssignmentRule, CourseCompletion, CoursePage, Enrollment, LessonPage
from courses.testing import make_user
from modules.angry_customer.models import ScenarioActivity
from modules.empowerment.models import EmpowermentActivity, EmpowermentMatrix, EmpowermentRule
from tests.solutions import passing_posts

MODULES = ["empathy", "active_listening", "angry_customer", "empowerment"]


@pytest.fixture
def installed(index):
    return install_training_modules()


def test_every_module_installs_in_both_languages(installed):
    assert sorted(installed.created) == sorted(
        [f"{module}/{language}" for module in MODULES for language in ("en", "fa")] + ["onboarding path"]
    )
    for course in CoursePage.objects.filter(locale__language_code="en"):
        persian = course.get_translation(course.get_translations().get().locale)
        assert persian.locale.language_code == "fa"
        assert any("\u0600" <= char <= "\u06ff" for char in persian.title)
        assert 2 <= course.lessons().count() == persian.lessons().count() <= 4


def test_each_language_has_its_own_activities(installed):
    for lesson in LessonPage.objects.filter(locale__language_code="fa"):
        activities = [link.activity for link in lesson.activity_links.select_related("activity__locale")]
        assert activities, lesson.title
        assert {activity.locale.language_code for activity in activities} == {"fa"}


def test_the_onboarding_rule_holds_the_four_courses_in_order_a_week_apart(installed):
    rule = AssignmentRule.objects.get()
    assert (rule.audience, rule.due_from) == ("hired_since", "hire_date")
    assert [step.due_after_days for step in rule.courses.all()] == [7, 14, 21, 28]
    assert [step.course.slug for step in rule.courses.all()] == [
        "empathy",
        "active-listening",
        "angry-customers",
        "empowerment",
    ]


def test_installing_again_changes_nothing(installed):
    counts = (Page.objects.count(), Activity.objects.count(), Revision.objects.count(), AssignmentRule.objects.count())

    again = install_training_modules()

    assert again.created == []
    assert len(again.skipped) == 8
    assert (
        Page.objects.count(),
        Activity.objects.count(),
        Revision.objects.count(),
        AssignmentRule.objects.count(),
    ) == (counts)


def test_installing_again_keeps_a_trainers_edits(installed):
    course = CoursePage.objects.get(slug="empathy", locale__language_code="en")
    course.title = "Empathy, our way"
    course.save_revision().publish()
    activity = Activity.objects.filter(locale__language_code="fa").first()
    activity.title = "عنوان تازه"
    activity.save()

    install_training_modules()

    assert CoursePage.objects.get(pk=course.pk).title == "Empathy, our way"
    assert Activity.objects.get(pk=activity.pk).title == "عنوان تازه"


def test_the_shipped_scenarios_are_sound_and_substantial(installed):
    scenarios = ScenarioActivity.objects.filter(locale__language_code="en")
    assert scenarios.count() >= 3
    for scenario in ScenarioActivity.objects.all():
        assert scenario.publishing_problems() == [], scenario.title
        assert len(scenario.graph.steps) >= 5
        assert len(scenario.graph.endings) >= 2
        assert scenario.graph.score(scenario.graph.best_path)[0] == 100


def test_at_least_eight_empowerment_cases_ship(installed):
    cases = sum(len(activity.case_list) for activity in EmpowermentActivity.objects.filter(locale__language_code="en"))
    assert cases >= 8


def test_installing_again_never_brings_back_what_trainers_removed(installed, fa):
    CoursePage.objects.get(slug="empathy", locale=fa).delete()
    AssignmentRule.objects.all().delete()
    matrix = EmpowermentMatrix.current()
    matrix.rules.all().delete()

    assert install_training_modules().created == []

    assert not CoursePage.objects.filter(slug="empathy", locale=fa).exists()
    assert not AssignmentRule.objects.exists()
    assert not EmpowermentRule.objects.exists()


@pytest.mark.parametrize("module", MODULES)
def test_both_languages_of_a_module_have_the_same_shape(module):
    config = next(config for config in training_modules() if config.label == module)
    english, persian = (tomllib.loads((config.content_dir / f"{code}.toml").read_text()) for code in ("en", "fa"))

    assert english["course"]["slug"] == persian["course"]["slug"]
    assert [(lesson["slug"], lesson.get("activities")) for lesson in english["lessons"]] == [
        (lesson["slug"], lesson.get("activities")) for lesson in persian["lessons"]
    ]
    assert [(a["key"], a["type"]) for a in english["activities"]] == [
        (a["key"], a["type"]) for a in persian["activities"]
    ]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_every_course_can_be_completed(client, installed, language):
    learner = make_user(f"learner-{language}")
    client.force_login(learner)
    courses = CoursePage.objects.filter(locale__language_code=language)
    for course in courses:
        client.post(course.url + "enrol/")
        for lesson in course.lessons():
            activities = lesson.live_activities()
            for activity in activities:
                for data in passing_posts(activity):
                    response = client.post(f"{lesson.url}activities/{activity.pk}/", data)
                    assert response.status_code == 302, (lesson.title, activity.title, response.status_code)
            if not activities:
                client.post(f"{lesson.url}complete/")

    completed = CourseCompletion.objects.filter(enrollment__user=learner)
    assert completed.count() == courses.count() == 4
    assert Enrollment.objects.filter(user=learner).count() == 4


def test_a_broken_content_file_installs_nothing(index, tmp_path, monkeypatch):
    config = next(config for config in training_modules() if config.label == "angry_customer")
    broken = (config.content_dir / "en.toml").read_text().replace('next = "', 'next = "nowhere-', 1)
    (tmp_path / "en.toml").write_text(broken)
    monkeypatch.setattr(type(config), "content_dir", property(lambda self: tmp_path))
    pages_before = Page.objects.count()

    with pytest.raises(ContentError, match="does not exist"):
        install_training_modules()

    assert Page.objects.count() == pages_before
    assert not Activity.objects.exists()
