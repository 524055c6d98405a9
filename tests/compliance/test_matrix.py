"""The compliance matrix: each role sees its scope, through filters, search, sorting, paging and exports."""

import csv
import hashlib
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from courses.models import Enrollment, StaffProfile, Status
from courses.roles import TRAINERS
from courses.testing import make_user

MATRIX = "/admin/compliance/matrix/"


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [person.user.username for person in response.context["object_list"]]


def cells(response) -> dict[str, list]:
    """Each listed person's cells, as (status, date) or None."""
    return {
        person.user.username: [(cell.status, cell.date) if cell else None for cell in person.cells]
        for person in response.context["object_list"]
    }


def csv_export(client, query: str = "") -> tuple[list[list[str]], list[list[str]]]:
    """The rows of a CSV export, then the parameter rows after the blank line."""
    response = client.get(f"{MATRIX}?export=csv{query}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    blank = rows.index([])
    return rows[:blank], rows[blank + 1 :]


@pytest.fixture
def trainer(client, org):
    user = make_user("trainer")
    user.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(user)
    return client


def test_a_manager_sees_exactly_their_team_down_the_chain(manager_client):
    assert listed(manager_client.get(MATRIX)) == ["ali", "bita", "cyrus"]


def test_a_trainer_sees_everyone(trainer):
    assert listed(trainer.get(MATRIX)) == ["ali", "bita", "cyrus", "dara", "director", "elin", "mina", "omid"]


def test_each_cell_is_the_status_on_the_day(manager_client, org):
    page = cells(manager_client.get(MATRIX))

    assert [cell and cell[0] for cell in page["ali"]] == [Status.VALID, Status.VALID]
    assert [cell and cell[0] for cell in page["bita"]] == [Status.OVERDUE, None]
    assert [cell and cell[0] for cell in page["cyrus"]] == [Status.IN_PROGRESS, None]


def table(response) -> str:
    html = response.text
    start = html.index('<table class="listing')
    return html[start : html.index("</table>", start)]


def test_cells_show_status_words_and_dates_never_raw_values(manager_client):
    html = table(manager_client.get(MATRIX))

    assert "Overdue" in html
    assert "In progress" in html
    assert "Not required" in html
    assert "None" not in html
    assert "True" not in html
    assert "False" not in html
    assert "Ali Alison" in html


def test_the_persian_admin_writes_names_in_persian_and_dates_in_jalali(manager_client, org):
    profile = UserProfile.get_for_user(org["people"]["mina"])
    profile.preferred_language = "fa"
    profile.save()

    html = table(manager_client.get(MATRIX))

    assert "Ali به فارسی" in html
    assert "از مهلت گذشته" in html
    assert "۱۴۰" in html  # a Jalali year in Persian digits


@pytest.mark.parametrize(
    "query",
    [
        "?department=Branches",
        "?manager={omid}",
        "?q=dara",
        "?q=elin",
        "?status=expired",
        "?p=2",
        "?ordering=-name",
    ],
)
def test_no_filter_search_or_page_shows_another_team(manager_client, org, query):
    query = query.format(omid=org["people"]["omid"].pk)

    response = manager_client.get(MATRIX + query)

    assert set(listed(response)) <= {"ali", "bita", "cyrus"}
    rows, _params = csv_export(manager_client, "&" + query.lstrip("?"))
    assert not {"Dara Darason", "Elin Elinson"} & {row[0] for row in rows}


def test_a_filter_by_status_is_applied_once(manager_client, org):
    # Applied twice, the status subquery appears twice, and PostgreSQL misjudges the pair: seconds a page.
    with CaptureQueriesContext(connection) as context:
        assert listed(manager_client.get(f"{MATRIX}?status=overdue")) == ["bita"]
    filtered = [query["sql"] for query in context.captured_queries if "IN ('overdue')" in query["sql"]]
    assert filtered
    for sql in filtered:
        assert sql.count("IN ('overdue')") == 1, sql


def test_filters_narrow_the_team(manager_client, org):
    assert listed(manager_client.get(f"{MATRIX}?status=overdue")) == ["bita"]
    assert listed(manager_client.get(f"{MATRIX}?manager={org['people']['ali'].pk}")) == ["cyrus"]
    assert listed(manager_client.get(f"{MATRIX}?hire_date_from=2023-01-01")) == ["bita", "cyrus"]
    assert listed(manager_client.get(f"{MATRIX}?q=cyrus")) == ["cyrus"]
    course = org["courses"][1]
    response = manager_client.get(f"{MATRIX}?course={course.pk}")
    assert listed(response) == ["ali"]
    assert cells(response)["ali"][0][0] == Status.VALID


def test_sorting_and_paging_walk_the_people_by_name(trainer, org, settings):
    names = listed(trainer.get(f"{MATRIX}?ordering=-name"))
    assert names == sorted(names, key=lambda username: org["people"][username].last_name, reverse=True)
    by_hire = listed(trainer.get(f"{MATRIX}?ordering=hire_date"))
    assert by_hire[:2] == ["elin", "mina"]


def test_a_learner_gets_no_access(client, org):
    client.force_login(org["people"]["bita"])

    for url in (MATRIX, f"{MATRIX}?export=csv", f"{MATRIX}?export=xlsx", "/admin/compliance/overdue/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"Bitason" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_csv_export_matches_the_page_and_carries_its_parameters_and_hash(manager_client, org):
    page = manager_client.get(f"{MATRIX}?status=overdue&status=in_progress")
    rows, parameters = csv_export(manager_client, "&status=overdue&status=in_progress")

    assert rows[0][:4] == ["Name", "Department", "Manager", "Hire date"]
    assert [row[0] for row in rows[1:]] == ["Bita Bitason", "Cyrus Cyrusson"]
    assert [row[4] for row in rows[1:]] == ["Overdue", "In progress"]
    assert [row[5] for row in rows[1:]] == [cell[0][1].isoformat() for cell in cells(page).values()]
    about = {row[0]: row[1] for row in parameters}
    assert about["Scope"] == "Team of Mina Minason"
    assert about["Status"] == "Overdue, In progress"
    assert "on=" in about["Address"]
    expected = hashlib.sha256()
    for row in rows:
        line = io.StringIO()
        csv.writer(line).writerow(row)
        expected.update(line.getvalue().encode())
    assert about["SHA-256 of the rows above"] == expected.hexdigest()


def test_the_xlsx_export_opens_and_has_the_same_rows_and_hash_as_the_csv(manager_client):
    rows, parameters = csv_export(manager_client)
    response = manager_client.get(f"{MATRIX}?export=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, about = workbook.worksheets
    values = [
        ["" if value is None else str(value)[:10] if hasattr(value, "year") else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert values == rows
    xlsx_about = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    csv_about = {row[0]: row[1] for row in parameters}
    assert xlsx_about["SHA-256 of the first sheet's rows as CSV"] == csv_about["SHA-256 of the rows above"]


def test_a_page_costs_the_same_queries_however_many_people_and_enrolments(manager_client, org):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(MATRIX).status_code == 200
        return len(queries)

    manager_client.get(MATRIX)  # the process finds the site once (courses.middleware)
    before = count()
    for number in range(6):
        user = make_user(f"extra{number}", first_name="Extra", last_name=str(number))
        StaffProfile.objects.create(user=user, manager=org["people"]["bita"])
        for course in org["courses"]:
            Enrollment.objects.enrol(user, course, source="assigned")

    assert len(listed(manager_client.get(MATRIX))) == 9
    assert count() == before
