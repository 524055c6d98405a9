"""Rules with different audiences release each course only from those no rule giving it applies to."""

import datetime

from django.utils import timezone

from courses.assignments import apply_assignment_rules
from courses.models import AssignmentRule, AssignmentRuleCourse, Enrollment, StaffProfile
from courses.testing import make_course, make_user

HIRED_SINCE = datetime.date(2026, 1, 1)


def make_rule(name, courses, **audience):
    rule = AssignmentRule.objects.create(name=name, due_from=AssignmentRule.DueFrom.ASSIGNED, **audience)
    for position, course in enumerate(courses):
        AssignmentRuleCourse.objects.create(rule=rule, course=course, sort_order=position)
    return rule


def required_titles(user) -> list[str]:
    enrollments = Enrollment.objects.filter(user=user, released_on__isnull=True)
    return sorted(enrollments.values_list("course__title", flat=True))


def test_a_course_stays_required_while_any_rule_giving_it_applies(index):
    sales_only, shared, newcomers_only = (make_course(index, title) for title in ("Sales", "Shared", "Newcomers"))
    sales = make_rule("Sales", [sales_only, shared], audience=AssignmentRule.Audience.DEPARTMENT, department="Sales")
    make_rule(
        "Newcomers", [shared, newcomers_only], audience=AssignmentRule.Audience.HIRED_SINCE, hired_since=HIRED_SINCE
    )
    veteran = make_user("veteran", profile={"department": "Sales", "hire_date": datetime.date(2020, 5, 1)})
    newcomer = make_user("newcomer", profile={"department": "Sales", "hire_date": datetime.date(2026, 2, 1)})
    assert required_titles(veteran) == ["Sales", "Shared"]
    assert required_titles(newcomer) == ["Newcomers", "Sales", "Shared"]

    StaffProfile.objects.filter(department="Sales").update(department="Finance")
    report = apply_assignment_rules()

    assert (report.released, report.required_again) == (3, 0)
    assert required_titles(veteran) == []
    assert required_titles(newcomer) == ["Newcomers", "Shared"]
    assert Enrollment.objects.filter(released_on=timezone.localdate()).count() == 3

    StaffProfile.objects.filter(user=newcomer).update(department="Sales")
    sales.is_active = False
    sales.save()
    report = apply_assignment_rules()

    # The Sales rule no longer counts: its own course stays released, the shared one stays required.
    assert (report.released, report.required_again) == (0, 0)
    assert required_titles(newcomer) == ["Newcomers", "Shared"]

    sales.is_active = True
    sales.save()
    report = apply_assignment_rules()

    assert (report.released, report.required_again) == (0, 1)
    assert required_titles(newcomer) == ["Newcomers", "Sales", "Shared"]
    assert Enrollment.objects.count() == 5
