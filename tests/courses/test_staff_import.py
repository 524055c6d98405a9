"""Staff import from HR: all or nothing, every bad row named, the same file twice changes nothing."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import AssignmentRule, AssignmentRuleCourse, Enrollment, StaffProfile
from courses.roles import set_up_roles
from courses.staff_import import MAX_FILE_BYTES, apply_plan, plan_import
from courses.testing import make_user

User = get_user_model()

HEADER = "username,first_name,last_name,email,hire_date,department,manager,language,active"
GOOD_ROWS = [
    "sara,Sara,Ahmadi,sara@example.com,2020-01-15,Sales,,fa,",
    "omid,Omid,Karimi,omid@example.com,2022-06-01,Sales,sara,en,yes",
]
IMPORT_URL = "staff_profiles:import"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *rows, ""]).encode()


def import_file(tmp_path, content: bytes, *options: str) -> str:
    path = tmp_path / "staff.csv"
    path.write_bytes(content)
    out = StringIO()
    call_command("import_staff", str(path), *options, stdout=out)
    return out.getvalue()


def tables() -> tuple[list, list]:
    """Everything the import writes, to compare before and after."""
    users = list(
        User.objects.order_by("username").values_list(
            "username", "first_name", "last_name", "email", "is_active", "password"
        )
    )
    profiles = list(
        StaffProfile.objects.order_by("user__username").values_list(
            "user__username",
            "hire_date",
            "department",
            "manager__username",
            "preferred_language",
            "persian_name",
        )
    )
    return users, profiles


# Bad rows: refused, every one listed with its line, nothing imported


BAD_ROWS = {
    "unknown manager": ("nima,Nima,Rad,nima@example.com,2023-01-01,Sales,ghost,en,", "unknown manager “ghost”"),
    "bad date": ("nima,Nima,Rad,nima@example.com,2023-02-30,Sales,,en,", "the hire date “2023-02-30”"),
    "date not ISO": ("nima,Nima,Rad,nima@example.com,01/02/2023,Sales,,en,", "the hire date “01/02/2023”"),
    "duplicate username": ("sara,Sara,Again,,2023-01-01,Sales,,,", "username “sara” is also on line 2"),
    "manager loop": ("nima,Nima,Rad,,2023-01-01,Sales,nima,,", "manager loop: nima → nima"),
    "unknown language": ("nima,Nima,Rad,,2023-01-01,Sales,,de,", "unknown language “de”"),
    "bad email": ("nima,Nima,Rad,nima-at-example,2023-01-01,Sales,,,", "“nima-at-example” is not an email address"),
    "missing username": (",Nima,Rad,,2023-01-01,Sales,,,", "the username is missing"),
    "bad active": ("nima,Nima,Rad,,2023-01-01,Sales,,,maybe", "“maybe” in the active column"),
    "too many values": ("nima,Nima,Rad,,2023-01-01,Sales,,,,extra", "this line has 10 values"),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_imported(db, tmp_path, kind):
    row, reason = BAD_ROWS[kind]
    make_user("existing", profile={"department": "Before"})
    before = tables()

    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, csv_file(*GOOD_ROWS, row))

    assert f"Line 4: {reason}" in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert tables() == before


def test_a_file_without_a_required_column_is_refused(db, tmp_path):
    header = HEADER.replace(",hire_date", "")
    rows = [row.replace(",2020-01-15", "").replace(",2022-06-01", "") for row in GOOD_ROWS]

    with pytest.raises(CommandError, match="Line 1: the header lacks the columns hire_date"):
        import_file(tmp_path, csv_file(*rows, header=header))

    assert not User.objects.exists()


def test_a_manager_loop_in_the_file_is_refused_on_each_line_of_the_loop(db):
    plan = plan_import(csv_file("a,A,A,,,,b,,", "b,B,B,,,,c,,", "c,C,C,,,,a,,", "d,D,D,,,,a,,"))

    assert [str(error) for error in plan.errors] == [
        "Line 2: manager loop: a → b → c → a.",
        "Line 3: manager loop: b → c → a → b.",
        "Line 4: manager loop: c → a → b → c.",
    ]


def test_a_manager_loop_through_a_profile_on_record_is_refused(db):
    boss = make_user("boss", profile={})
    make_user("lead", profile={"manager": boss})
    # The file makes the boss report to someone who reports to the lead, who reports to the boss.
    plan = plan_import(csv_file("boss,B,B,,,,new,,", "new,N,N,,,,lead,,"))

    assert [error.line for error in plan.errors] == [2, 3]
    assert "manager loop: boss → new → lead → boss." in str(plan.errors[0])
    with pytest.raises(ValueError, match="errors"):
        apply_plan(plan)


def test_every_bad_row_is_listed_and_every_reason_given(db, tmp_path):
    content = csv_file(
        "a,A,A,not-an-email,2020-13-01,Sales,ghost,xx,",
        *GOOD_ROWS,
        ",No,Name,,,,,,",
        "sara,Sara,Twice,,,,,,",
    )

    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, content)

    message = str(refused.value)
    assert "has 6 problem(s)" in message
    for reason in [
        "Line 2: “not-an-email” is not an email address",
        "Line 2: the hire date “2020-13-01”",
        "Line 2: unknown language “xx”",
        "Line 2: unknown manager “ghost”",
        "Line 5: the username is missing",
        "Line 6: username “sara” is also on line 3",
    ]:
        assert reason in message
    assert not User.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte(db):
    plan = plan_import(csv_file(*GOOD_ROWS) + "reza,R\xe9za,Rad,,,,,,\r\n".encode("latin-1"))

    assert [str(error) for error in plan.errors] == ["Line 4: The file is not UTF-8 text. Save it as “CSV UTF-8”."]


def test_a_quoted_value_across_lines_keeps_the_line_numbers_of_the_rows(db):
    plan = plan_import(csv_file('sara,Sara,"Ahmadi\nKarimi",,,,,,', "omid,Omid,Karimi,,2022-99-01,,,,"))

    assert [error.line for error in plan.errors] == [4]


# Good files


def test_a_spreadsheet_file_with_a_bom_and_semicolons_is_imported(db, tmp_path):
    content = "\ufeff" + "\r\n".join(
        [
            "Username;First_Name;Last_Name;Email;Hire_Date;Department;Manager;Language;Active;Persian_Name;Badge",
            "sara;Sara;Ahmadi;sara@EXAMPLE.com;2020-01-15;Sales, north;;FA;TRUE;سارا احمدی;17",
            "omid;Omid;Karimi;;2022-06-01;Sales, north;sara;;no;;18",
            ";;;;;;;;;;",
        ]
    )

    output = import_file(tmp_path, content.encode())

    assert "Ignored column: badge" in output
    assert "Imported: 2 to create, 0 to change, 0 unchanged, 0 to deactivate." in output
    users, profiles = tables()
    assert [user[:5] for user in users] == [
        ("omid", "Omid", "Karimi", "", False),
        ("sara", "Sara", "Ahmadi", "sara@example.com", True),
    ]
    assert profiles == [
        ("omid", datetime.date(2022, 6, 1), "Sales, north", "sara", "", ""),
        ("sara", datetime.date(2020, 1, 15), "Sales, north", None, "fa", "سارا احمدی"),
    ]
    assert not any(User.objects.get(username=username).has_usable_password() for username in ["sara", "omid"])


def test_importing_the_same_file_twice_changes_nothing(db, tmp_path):
    make_user("boss", profile={"department": "Head office"})
    content = csv_file(*GOOD_ROWS, "nima,Nima,Rad,,2023-01-01,Support,boss,,0")
    import_file(tmp_path, content)
    after_first = tables()

    with CaptureQueriesContext(connection) as queries:
        output = import_file(tmp_path, content)

    assert "0 to create, 0 to change, 3 unchanged, 0 to deactivate." in output
    assert tables() == after_first
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_a_changed_row_changes_only_what_differs_field_by_field(db, tmp_path):
    boss = make_user("boss", profile={})
    make_user(
        "sara",
        first_name="Sara",
        last_name="Ahmadi",
        email="sara@example.com",
        profile={
            "hire_date": datetime.date(2020, 1, 15),
            "department": "Sales",
            "preferred_language": "fa",
            "persian_name": "سارا احمدی",
        },
    )

    plan = plan_import(csv_file("sara,Sara,Ahmadi,sara@example.com,2020-01-15,Support,boss,fa,"))

    assert len(plan.changes) == 1
    assert [(c.field, c.old, c.new) for c in plan.changes[0].changes] == [
        ("department", "Sales", "Support"),
        ("manager", "", "boss"),
    ]
    apply_plan(plan)
    profile = StaffProfile.objects.get(user__username="sara")
    assert (profile.department, profile.manager, profile.persian_name) == ("Support", boss, "سارا احمدی")


def test_an_existing_account_without_a_profile_gets_one(db):
    make_user("sara", first_name="Sara", last_name="Ahmadi", email="sara@example.com")

    plan = plan_import(csv_file(GOOD_ROWS[0]))

    assert plan.changes[0].adds_profile
    apply_plan(plan)
    assert StaffProfile.objects.get(user__username="sara").department == "Sales"
    assert User.objects.get(username="sara").has_usable_password()


def test_dry_run_writes_nothing(db, tmp_path):
    output = import_file(tmp_path, csv_file(*GOOD_ROWS), "--dry-run")

    assert "Create (line 3): omid" in output
    assert "Dry run, nothing written: 2 to create" in output
    assert not User.objects.exists()


def test_deactivate_missing_deactivates_active_staff_left_out_of_the_file(db, tmp_path):
    make_user("left", profile={"department": "Sales"})
    make_user("gone", is_active=False, profile={})
    make_user("admin-without-profile")
    import_file(tmp_path, csv_file(*GOOD_ROWS))

    output = import_file(tmp_path, csv_file(*GOOD_ROWS), "--deactivate-missing")

    assert "Deactivate: left" in output
    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {"left": False, "gone": False, "admin-without-profile": True, "sara": True, "omid": True}
    assert "0 to deactivate" in import_file(tmp_path, csv_file(*GOOD_ROWS), "--deactivate-missing")


def test_without_the_option_staff_left_out_stay_active(db, tmp_path):
    make_user("left", profile={})
    import_file(tmp_path, csv_file(*GOOD_ROWS))
    assert User.objects.get(username="left").is_active


def test_a_team_rule_enrols_a_whole_chain_imported_in_one_file(course, tmp_path):
    head = make_user("head", profile={})
    rule = AssignmentRule.objects.create(
        name="Head's team", audience=AssignmentRule.Audience.TEAM, manager=head, due_from="assigned"
    )
    AssignmentRuleCourse.objects.create(rule=rule, course=course, due_after_days=30)
    # The people come before their managers in the file; each is enrolled all the same.
    content = csv_file("low,L,L,,,,mid,,", "mid,M,M,,,,top,,", "top,T,T,,,,head,,")

    import_file(tmp_path, content)

    enrolled = set(Enrollment.objects.filter(course=course).values_list("user__username", flat=True))
    assert enrolled == {"low", "mid", "top"}


# The admin screen


@pytest.fixture
def upload():
    def upload(content: bytes, name: str = "staff.csv"):
        return SimpleUploadedFile(name, content, content_type="text/csv")

    return upload


def test_the_staff_listing_links_to_the_import_for_trainers(trainer_client):
    response = trainer_client.get(reverse("staff_profiles:index"))
    assert reverse(IMPORT_URL) in response.content.decode()


def test_a_trainer_previews_then_confirms_an_import(trainer_client, upload):
    make_user("boss", profile={"department": "Sales"})

    preview = trainer_client.post(reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS, "boss,Bo,Ss,,,Sales,,,"))})

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 to create, 1 to change, 0 unchanged, 0 to deactivate." in page
    assert "omid@example.com" in page
    assert "first name: <bdi>—</bdi> → <bdi>Bo</bdi>" in page
    assert not User.objects.filter(username="sara").exists()

    confirmed = trainer_client.post(reverse(IMPORT_URL), preview.context["form"].initial)

    assert confirmed.status_code == 302
    assert confirmed.url == reverse("staff_profiles:index")
    assert StaffProfile.objects.get(user__username="omid").manager.username == "sara"
    assert User.objects.get(username="boss").first_name == "Bo"
    # The preview cannot be confirmed twice.
    again = trainer_client.post(reverse(IMPORT_URL), preview.context["form"].initial)
    assert again.status_code == 302
    assert again.url == reverse(IMPORT_URL)


def test_records_changed_since_the_preview_are_previewed_again_not_imported(trainer_client, upload):
    preview = trainer_client.post(reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS))})
    make_user("sara", first_name="Someone", profile={})

    response = trainer_client.post(reverse(IMPORT_URL), preview.context["form"].initial)

    assert response.status_code == 200
    assert "The staff records changed since the preview" in response.content.decode()
    assert "1 to create, 1 to change" in response.content.decode()
    assert not User.objects.filter(username="omid").exists()
    assert User.objects.get(username="sara").first_name == "Someone"


def test_a_tampered_confirmation_imports_nothing(trainer_client, upload):
    preview = trainer_client.post(reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS))})

    forged = {**preview.context["form"].initial, "upload": "another"}
    response = trainer_client.post(reverse(IMPORT_URL), forged)

    assert response.status_code == 302
    assert not User.objects.filter(username="sara").exists()


def test_the_admin_lists_every_bad_row_and_keeps_nothing(trainer_client, upload):
    response = trainer_client.post(
        reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS, "nima,N,R,,2023-02-30,,ghost,,"))}
    )

    page = response.content.decode()
    assert "Nothing was imported: the file has 2 problems." in page
    assert "unknown manager “ghost”" in page
    assert "hire date “2023-02-30”" in page
    assert "courses_staff_import" not in trainer_client.session
    assert not User.objects.filter(username="sara").exists()


def test_the_admin_refuses_a_file_over_5_mb(trainer_client, upload):
    content = csv_file(*GOOD_ROWS) + b"#" * MAX_FILE_BYTES

    response = trainer_client.post(reverse(IMPORT_URL), {"file": upload(content)})

    assert "files up to 5.0\xa0MB are accepted" in response.content.decode()
    assert not User.objects.filter(username="sara").exists()


def test_a_learner_cannot_import(learner_client, upload):
    response = learner_client.post(reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS))})

    assert response.status_code in {302, 403}
    assert not User.objects.filter(username="sara").exists()


def test_a_manager_without_the_permission_cannot_import(client, index, upload):
    set_up_roles()
    manager = make_user("manager")
    manager.groups.add(Group.objects.get(name="Managers"))
    client.force_login(manager)

    page = client.get(reverse(IMPORT_URL))
    response = client.post(reverse(IMPORT_URL), {"file": upload(csv_file(*GOOD_ROWS))})

    assert page.status_code in {302, 403}
    assert response.status_code in {302, 403}
    assert not User.objects.filter(username="sara").exists()
    assert reverse(IMPORT_URL) not in client.get(reverse("staff_profiles:index")).content.decode()


def test_a_trainer_cannot_change_a_superusers_account_by_import(trainer_client, upload):
    make_user("admin", email="admin@example.com", is_superuser=True, profile={"department": "IT"})
    make_user("root", is_superuser=True, profile={})
    before = tables()

    refused = trainer_client.post(reverse(IMPORT_URL), {"file": upload(csv_file("admin,,,me@evil.example,,IT,,,"))})
    # The profile of a superuser is HR's data like anyone's; superusers are not deactivated either.
    allowed = trainer_client.post(
        reverse(IMPORT_URL),
        {"file": upload(csv_file("admin,,,admin@example.com,,Support,,,")), "deactivate_missing": "on"},
    )

    assert "“admin” is a superuser: only a superuser can import changes to that account." in refused.content.decode()
    assert allowed.context["plan"].deactivations == []
    assert [change.row.username for change in allowed.context["plan"].changes] == ["admin"]
    assert tables() == before


def test_the_command_line_imports_changes_to_superusers(db, tmp_path):
    make_user("admin", email="admin@example.com", is_superuser=True, profile={})

    import_file(tmp_path, csv_file("admin,,,it@example.com,,IT,,,"))

    assert User.objects.get(username="admin").email == "it@example.com"


def test_staff_whose_manager_moves_into_a_team_are_enrolled_without_a_row_of_their_own(course, tmp_path):
    head = make_user("head", profile={})
    mid = make_user("mid", profile={})
    make_user("low", profile={"manager": mid})
    rule = AssignmentRule.objects.create(
        name="Head's team", audience=AssignmentRule.Audience.TEAM, manager=head, due_from="assigned"
    )
    AssignmentRuleCourse.objects.create(rule=rule, course=course, due_after_days=30)

    import_file(tmp_path, csv_file("mid,,,,,,head,,"))

    enrolled = set(Enrollment.objects.filter(course=course).values_list("user__username", flat=True))
    assert enrolled == {"mid", "low"}


def test_deactivated_staff_stop_being_chased_and_keep_their_records(course, tmp_path):
    rule = AssignmentRule.objects.create(name="Everyone", due_from="assigned")
    AssignmentRuleCourse.objects.create(rule=rule, course=course, due_after_days=30)
    make_user("left", profile={})
    import_file(tmp_path, csv_file(*GOOD_ROWS))

    import_file(tmp_path, csv_file(*GOOD_ROWS), "--deactivate-missing")

    released = dict(Enrollment.objects.values_list("user__username", "released_on"))
    assert released["left"] is not None
    assert released["sara"] is None
    assert released["omid"] is None
