"""Assignment rules: who is enrolled, due when, and who stops being chased."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.assignments import apply_assignment_rules
from courses.models import AssignmentRule, AssignmentRuleCourse, Enrollment, StaffProfile
from courses.testing import make_course, make_user


@pytest.fixture
def second(index):
    return make_course(index, "Second course")


def make_rule(*courses, due_after_days=(7, 14), **fields):
    fields.setdefault("due_from", AssignmentRule.DueFrom.HIRE_DATE)
    rule = AssignmentRule.objects.create(name=fields.pop("name", "Onboarding"), **fields)
    for position, course in enumerate(courses):
        AssignmentRuleCourse.objects.create(
            rule=rule, course=course, sort_order=position, due_after_days=due_after_days[position]
        )
    return rule


def due_dates(user):
    return sorted(Enrollment.objects.filter(user=user).with_progress().values_list("due_date", flat=True))


def test_a_new_profile_is_enrolled_due_days_after_the_hire_date(course, second):
    hired = timezone.localdate() - datetime.timedelta(days=3)
    make_rule(course, second, audience=AssignmentRule.Audience.HIRED_SINCE, hired_since=hired)

    user = make_user("newhire", profile={"hire_date": hired})

    assert due_dates(user) == [hired + datetime.timedelta(days=7), hired + datetime.timedelta(days=14)]
    assert set(Enrollment.objects.filter(user=user).values_list("source", flat=True)) == {"automatic"}


def test_staff_hired_before_the_date_are_not_enrolled(course, second):
    make_rule(course, second, audience=AssignmentRule.Audience.HIRED_SINCE, hired_since=datetime.date(2026, 1, 1))
    user = make_user("old-hand", profile={"hire_date": datetime.date(2015, 1, 1)})
    assert not Enrollment.objects.filter(user=user).exists()


def test_due_from_the_day_the_rule_first_applied(course):
    make_rule(course, due_after_days=(30,), due_from=AssignmentRule.DueFrom.ASSIGNED)
    user = make_user("someone", profile={"hire_date": datetime.date(2015, 1, 1)})
    assert due_dates(user) == [timezone.localdate() + datetime.timedelta(days=30)]


@pytest.mark.parametrize("audience", ["group", "department", "team"])
def test_each_audience_enrols_exactly_its_people(course, audience):
    boss = make_user("boss", profile={})
    lead = make_user("lead", profile={"manager": boss})
    member = make_user("member", profile={"manager": lead, "department": "Call centre"})
    outsider = make_user("outsider", profile={"department": "Warehouse"})
    calls = Group.objects.create(name="Calls")
    member.groups.add(calls)
    fields = {"group": {"group": calls}, "department": {"department": "Call centre"}, "team": {"manager": boss}}
    make_rule(course, due_after_days=(10,), audience=audience, **fields[audience])

    apply_assignment_rules()

    enrolled = set(Enrollment.objects.values_list("user__username", flat=True))
    expected = {"group": {"member"}, "department": {"member"}, "team": {"lead", "member"}}[audience]
    assert enrolled == expected
    assert outsider.username not in enrolled


def test_the_earliest_due_date_wins_when_rules_overlap(course):
    make_rule(course, due_after_days=(30,), name="Everyone", due_from=AssignmentRule.DueFrom.ASSIGNED)
    make_rule(course, due_after_days=(5,), name="Fast")
    user = make_user("someone", profile={"hire_date": timezone.localdate()})
    assert due_dates(user) == [timezone.localdate() + datetime.timedelta(days=5)]
    assert Enrollment.objects.get(user=user).rule.name == "Fast"


def test_staff_who_stop_matching_are_released_and_keep_their_records(course):
    make_rule(course, due_after_days=(10,), audience=AssignmentRule.Audience.DEPARTMENT, department="Sales")
    user = make_user("mover", profile={"department": "Sales"})
    enrollment = Enrollment.objects.get(user=user)

    profile = StaffProfile.objects.get(user=user)
    profile.department = "Finance"
    profile.save()
    enrollment.refresh_from_db()
    assert enrollment.released_on == timezone.localdate()
    assert not Enrollment.objects.required().exists()

    profile.department = "Sales"
    profile.save()
    enrollment.refresh_from_db()
    assert enrollment.released_on is None
    assert Enrollment.objects.count() == 1


def test_a_deactivated_account_stops_being_chased(course):
    make_rule(course, due_after_days=(10,))
    user = make_user("leaver", profile={})
    user.is_active = False
    user.save()

    assert Enrollment.objects.get(user=user).released_on == timezone.localdate()
    assert not Enrollment.objects.required().exists()


def test_a_trainers_assignment_stands_beside_the_rules(course, second):
    trainer = make_user("trainer")
    user = make_user("learner", profile={"department": "Sales"})
    Enrollment.objects.enrol(user, second, source="assigned", assigned_by=trainer, due_date=datetime.date(2027, 1, 5))
    make_rule(course, due_after_days=(10,), audience=AssignmentRule.Audience.DEPARTMENT, department="Sales")

    apply_assignment_rules()
    StaffProfile.objects.filter(user=user).update(department="Finance")
    apply_assignment_rules()

    manual = Enrollment.objects.get(user=user, source="assigned")
    assert manual.released_on is None
    assert list(Enrollment.objects.required().values_list("source", flat=True)) == ["assigned"]


def test_applying_the_rules_twice_writes_nothing_the_second_time(course, second):
    make_rule(course, second, due_after_days=(5, 9))
    for n in range(5):
        make_user(f"staff{n}", profile={"hire_date": timezone.localdate()})
    apply_assignment_rules()
    before = list(Enrollment.objects.values_list("pk", "released_on", "cycle").order_by("pk"))

    report = apply_assignment_rules()

    assert (report.enrolled, report.released, report.required_again) == (0, 0, 0)
    assert list(Enrollment.objects.values_list("pk", "released_on", "cycle").order_by("pk")) == before
    assert len(before) == 10
