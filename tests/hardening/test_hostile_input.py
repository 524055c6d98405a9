"""Text that learners and trainers type is shown as text: escaped in pages, and never a formula in exports."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils.html import escape

from courses.exports import safe_cell
from courses.models import Enrollment, StaffProfile
from courses.roles import set_up_roles
from courses.testing import make_course, make_lesson, make_reflection, make_user, publish
from modules.angry_customer.models import ScenarioActivity
from tests.modules.test_angry_customer import scenario_data

SCRIPT = "<script>alert(1)</script>"
#: Payloads tried in every place below; each must come back as text.
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(1)</script>",
    "{{ request.user.password }}",
]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]


def assert_shown_as_text(payload: str, page: str) -> None:
    """Markup comes back escaped; template syntax comes back as typed, not evaluated."""
    if "<" in payload:
        assert payload not in page
        assert escape(payload) in page
    else:
        assert payload in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_reflection_is_escaped_when_shown_back(learner_client, learner, index, payload):
    reflection = make_reflection()
    course = make_course(index, "Reflect")
    lesson = make_lesson(course, "Only", activities=[reflection])
    Enrollment.objects.enrol(learner, course, source="self")
    answer = f"I listened carefully to them today {payload}"

    learner_client.post(f"{lesson.url}activities/{reflection.pk}/", {"response": answer})
    page = learner_client.get(lesson.url).text

    assert_shown_as_text(payload, page)


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_a_learners_name_and_department_are_escaped_on_trainer_screens(trainer_client, course, payload):
    learner = make_user("hostile", first_name=payload, last_name=payload, profile={"department": payload})
    Enrollment.objects.enrol(learner, course, source="self")
    profile = StaffProfile.objects.get(user=learner)

    pages = [
        trainer_client.get(url).text
        for url in ["/admin/enrollments/", "/admin/staff_profiles/", f"/admin/staff_profiles/inspect/{profile.pk}/"]
    ]

    assert not any(payload in page for page in pages)
    assert any(escape(payload) in page for page in pages)


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_scenario_text_from_a_trainer_is_escaped_for_learners(learner_client, learner, index, payload):
    data = scenario_data(title=f"Parcel {payload}")
    data["steps"][0]["customer_says"] = f"Where is it? {payload}"
    data["steps"][0]["replies"][0]["text"] = f"Sorry {payload}"
    scenario = publish(ScenarioActivity.from_content(data))
    course = make_course(index, "Complaints")
    lesson = make_lesson(course, "Practice", activities=[scenario])
    Enrollment.objects.enrol(learner, course, source="self")

    page = learner_client.get(lesson.url).text

    assert "Where is it?" in page
    assert_shown_as_text(payload, page)


@pytest.mark.parametrize("formula", FORMULAS)
def test_safe_cell_neutralises_formulas(formula):
    assert safe_cell(formula) == "'" + formula


@pytest.mark.parametrize("value", ["Front desk", "", "O'Brien", 12, -5, None, "a=b"])
def test_safe_cell_keeps_everything_else(value):
    assert safe_cell(value) == value


@pytest.fixture
def hostile_staff(course):
    for number, formula in enumerate(FORMULAS):
        person = make_user(f"staff{number}", profile={"department": formula})
        Enrollment.objects.enrol(person, course, source="self")


def exported_cells(client, url: str, export_format: str) -> list[str]:
    response = client.get(f"{url}?export={export_format}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_staff_export_neutralises_formulas(client, index, hostile_staff, export_format):
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(trainer)

    cells = exported_cells(client, "/admin/staff_profiles/", export_format)

    for formula in FORMULAS:
        assert "'" + formula in cells
        assert formula not in cells


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_enrolment_export_neutralises_formulas(client, index, course, export_format):
    set_up_roles()
    trainer = make_user("trainer")
    trainer.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(trainer)
    Enrollment.objects.enrol(make_user("=1+2"), course, source="self")

    cells = exported_cells(client, "/admin/enrollments/", export_format)

    assert "'=1+2" in cells
    assert "=1+2" not in cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_lesson_titles_and_summaries_are_escaped_in_the_lesson_lists(learner_client, learner, index, payload):
    course = make_course(index, "Lists")
    make_lesson(course, f"Lesson {payload}", slug="hostile", summary=f"About {payload}")
    last = make_lesson(course, "Last")
    Enrollment.objects.enrol(learner, course, source="self")

    for url in (course.url, last.url):  # the course page's list and the lesson page's menu
        page = learner_client.get(url).text
        assert_shown_as_text(f"Lesson {payload}", page)
    assert_shown_as_text(f"About {payload}", learner_client.get(course.url).text)
