"""One small organisation with a record of every kind, for tests that try every URL as every role.

Everything private belongs to ``learner`` (username ``quillfeather``, a name no other page has), who
reports to ``manager``. ``other_learner`` reports to ``other_manager``: neither of them may see
``learner``'s records. ``trainer`` and ``administrator`` hold the demo's Trainers and Administrators
groups.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, PageViewRestriction

from certificates import issuing
from certificates.models import CertificateTemplate
from courses.models import AssignmentRule, CourseCompletion, Enrollment
from courses.roles import ADMINISTRATORS, MANAGERS, TRAINERS, set_up_roles
from courses.testing import (
    make_course,
    make_lesson,
    make_quiz,
    make_reflection,
    make_training_site,
    make_user,
    translate,
)
from modules.empowerment.models import EmpowermentMatrix
from reminders.models import CalendarFeed, Reminder, ReminderSchedule, ReminderWording
from reminders.schedule import Kind
from tests.builders import make_cases, make_listening, make_scenario

ROLES = ("anonymous", "learner", "other_learner", "trainer", "manager", "other_manager", "administrator")


@dataclass
class World:
    """The records, by name, and a signed-in client per role."""

    objects: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    """Build the organisation, its course and ``learner``'s records; sign each role in."""
    index = make_training_site()
    set_up_roles()
    groups = {group.name: group for group in Group.objects.all()}

    manager = make_user("manager", profile={"department": "Front desk"})
    other_manager = make_user("other_manager", profile={"department": "Branch"})
    learner = make_user(
        "quillfeather",
        first_name="Leila",
        last_name="Quillfeather",
        email="quillfeather@example.com",
        profile={"manager": manager},
    )
    other_learner = make_user("other_learner", profile={"manager": other_manager})
    trainer = make_user("trainer", profile={})
    administrator = make_user("administrator", profile={})
    manager.groups.add(groups[MANAGERS])
    other_manager.groups.add(groups[MANAGERS])
    trainer.groups.add(groups[TRAINERS])
    administrator.groups.add(groups[ADMINISTRATORS])

    quiz, reflection = make_quiz(), make_reflection()
    scenario, cases, listening = make_scenario(), make_cases(), make_listening()
    course = make_course(index, "Listening basics", pass_mark=80, allow_self_enrolment=True)
    lesson = make_lesson(course, "Listen first", activities=[quiz, scenario, cases, listening])
    make_lesson(course, "Reflect", activities=[reflection])

    translate(course, "fa", title="گوش دادن")
    translate(lesson, "fa", title="اول گوش کن")
    # A course for one group only (and its translation, which the restriction covers too).
    restricted = make_course(index, "Front desk only")
    translate(restricted, "fa", title="فقط پیشخوان")
    front_desk = Group.objects.create(name="Front desk")
    learner.groups.add(front_desk)
    restriction = PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(front_desk)

    enrollment, _ = Enrollment.objects.enrol(learner, course, source=Enrollment.Source.ASSIGNED, assigned_by=trainer)
    today = timezone.localdate()
    overdue_course = make_course(index, "Calm under fire")
    make_lesson(overdue_course, "Breathe")
    overdue, _ = Enrollment.objects.enrol(
        learner, overdue_course, source=Enrollment.Source.ASSIGNED, due_date=today - datetime.timedelta(days=3)
    )
    due_soon_course = make_course(index, "Saying sorry")
    make_lesson(due_soon_course, "Mean it")
    due_soon, _ = Enrollment.objects.enrol(
        learner, due_soon_course, source=Enrollment.Source.ASSIGNED, due_date=today + datetime.timedelta(days=5)
    )
    cycle = enrollment.cycles.get()
    completion = CourseCompletion.objects.create(
        enrollment=enrollment,
        cycle=cycle.number,
        completed_at=timezone.now(),
        valid_until=today + datetime.timedelta(days=365),
    )
    certificate = issuing.issue_for_completion(completion)
    issuing.render_pending(certificate)
    certificate.refresh_from_db()
    reminder = Reminder.objects.create(
        cycle=cycle,
        step="before:7",
        kind=Kind.BEFORE_DUE,
        recipient=learner,
        due_on=today + datetime.timedelta(days=7),
        send_on=today,
        state=Reminder.State.SENT,
        sent_at=timezone.now(),
    )
    feed = CalendarFeed.objects.create(user=learner)
    template = CertificateTemplate.objects.create(
        name="Ours", language="en", title_en="Certificate", body_en="{name}, {course}"
    )
    template.save_revision()
    rule = AssignmentRule.objects.create(name="Everyone")
    schedule = ReminderSchedule.objects.create(course=course)
    collection = Collection.get_first_root_node()
    document = Document.objects.create(title="Handout", file=ContentFile(b"Listen first.", name="handout.txt"))
    image = Image.objects.create(title="Desk", file=get_test_image_file())

    objects = {
        "index": index,
        "course": course,
        "lesson": lesson,
        "quiz": quiz,
        "reflection": reflection,
        "scenario": scenario,
        "cases": cases,
        "listening": listening,
        "learner": learner,
        "other_learner": other_learner,
        "trainer": trainer,
        "manager": manager,
        "other_manager": other_manager,
        "administrator": administrator,
        "restricted": restricted,
        "restriction": restriction,
        "enrollment": enrollment,
        "overdue": overdue,
        "due_soon": due_soon,
        "completion": completion,
        "certificate": certificate,
        "reminder": reminder,
        "feed": feed,
        "rule": rule,
        "schedule": schedule,
        "wording": ReminderWording.objects.get(kind=Kind.BEFORE_DUE, language="en"),
        "template": template,
        "matrix": EmpowermentMatrix.load(),
        "profile": learner.staff_profile,
        "group": groups[TRAINERS],
        "collection": collection,
        "document": document,
        "image": image,
        "root": Page.get_first_root_node(),
    }
    world = World(objects)
    world.clients["anonymous"] = Client()
    for role in ROLES[1:]:
        client = Client()
        client.force_login(objects[role])
        world.clients[role] = client
    return world
