"""Staff import from HR: a CSV export of the staff list becomes accounts and staff profiles.

Contract:

* :func:`plan_import` reads a CSV as spreadsheets write it: UTF-8 with or without a byte order
  mark, comma or semicolon separated (the header line tells which). The header names the columns
  ``username, first_name, last_name, email, hire_date, department, manager, language, active``,
  in any order, and optionally ``persian_name``; other columns are ignored and reported. Each row
  is one person: ``hire_date`` is ``yyyy-mm-dd`` or blank, ``manager`` is the username of someone
  in the file or of an existing account, or blank; ``language`` is a code of ``settings.LANGUAGES``
  or blank; ``active`` is true/false, 1/0 or yes/no, blank meaning true. Without a
  ``persian_name`` column the names in Persian script on record are left alone.
* It checks the whole file before anything is written and returns an :class:`ImportPlan`: the
  rows that create an account, the rows that change one (field by field), the unchanged rows,
  and, with ``deactivate_missing``, the active staff (accounts with a staff profile) the file
  leaves out, who would be deactivated. Each bad row is listed with its line number and every
  reason it is refused: a missing username, a duplicate username, an unknown manager, a manager
  loop (also through profiles on record), a bad date, language, email or ``active`` value, a
  value too long. A file with a control character (a NUL byte, say) is refused as a whole.
  A plan with any error imports nothing.
* Planned for someone other than a superuser (``importer``, in the admin), a row that would change
  a superuser's account (name, email, active) is refused, and superusers are never deactivated:
  a new email address would let its owner reset the account's password.
* :func:`apply_plan` writes a valid plan in one transaction, all or nothing, in bulk. New accounts
  get an unusable password. Bulk writes send no ``post_save``, so instead of the assignment rules
  that saving one profile applies, the rules are applied once, for everyone, after the writes: by
  then every chain of managers in the file is complete, and staff whose team changed because
  their manager's row changed are enrolled too. Importing 5,000 people one save at a time, each
  applying the rules, took minutes; this takes seconds.
* Importing the same file again plans no creation and no change, and writes nothing.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import batched
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.assignments import apply_assignment_rules
from courses.models import StaffProfile
from courses.models.activities import CONTROL_CHARACTERS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: The largest file the admin accepts.
MAX_FILE_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "hire_date",
    "department",
    "manager",
    "language",
    "active",
]
OPTIONAL_COLUMNS = ["persian_name"]
#: Usernames looked up per query, well inside every database's limit on query parameters.
LOOKUP_BATCH = 500

USER_FIELDS = ["first_name", "last_name", "email", "is_active"]
PROFILE_FIELDS = ["hire_date", "department", "manager", "preferred_language", "persian_name"]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRUE_WORDS = {"", "true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


@dataclass(frozen=True)
class StaffRow:
    """One person as the file gives them."""

    line: int
    username: str
    first_name: str
    last_name: str
    email: str
    hire_date: datetime.date | None
    department: str
    manager: str
    preferred_language: str
    is_active: bool
    # None when the file has no persian_name column: the name on record is kept.
    persian_name: str | None

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class RowError:
    """Why the row on ``line`` (1 is the header) cannot be imported."""

    line: int
    message: str

    def __str__(self) -> str:
        return gettext("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class FieldChange:
    """One field of an existing account or profile that the import changes."""

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def old_display(self) -> str:
        return display_value(self.old)

    @property
    def new_display(self) -> str:
        return display_value(self.new)


@dataclass(frozen=True)
class RowChange:
    """A row for an existing account: what changes, and whether it gets its first staff profile."""

    row: StaffRow
    user_id: int
    changes: list[FieldChange]
    adds_profile: bool

    def describe(self) -> str:
        parts = [gettext("staff profile added")] if self.adds_profile else []
        parts += [f"{change.label}: {change.old_display} → {change.new_display}" for change in self.changes]
        return "; ".join(parts)


@dataclass
class ImportPlan:
    """What importing a file would do, or why it cannot be imported."""

    errors: list[RowError] = field(default_factory=list)
    creates: list[StaffRow] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: list[StaffRow] = field(default_factory=list)
    #: Usernames of the active staff the file leaves out, when asked to deactivate them.
    deactivations: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    #: The ids of the existing accounts the file names, as people or as managers.
    user_ids: dict[str, int] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.changes or self.deactivations)

    def summary(self) -> str:
        return gettext(
            "%(created)s to create, %(changed)s to change, %(unchanged)s unchanged, %(deactivated)s to deactivate."
        ) % {
            "created": len(self.creates),
            "changed": len(self.changes),
            "unchanged": len(self.unchanged),
            "deactivated": len(self.deactivations),
        }

    def fingerprint(self) -> str:
        """A digest of what the plan writes: two plans with the same fingerprint make the same changes."""
        writes = {
            "creates": [
                {name: str(value) for name, value in asdict(row).items() if name != "line"} for row in self.creates
            ],
            "changes": [
                [change.row.username, change.adds_profile, [[c.field, str(c.old), str(c.new)] for c in change.changes]]
                for change in self.changes
            ],
            "deactivations": self.deactivations,
        }
        return hashlib.sha256(json.dumps(writes, sort_keys=True).encode()).hexdigest()


FIELD_LABELS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "email": _("email address"),
    "is_active": _("active"),
    "hire_date": _("hire date"),
    "department": _("department"),
    "manager": _("manager"),
    "preferred_language": _("preferred language"),
    "persian_name": _("name in Persian script"),
}


def display_value(value: Any) -> str:
    """``value`` as the preview shows it: yes or no, a dash for blank, dates as the file writes them."""
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class FileError(Exception):
    """The file as a whole cannot be read: not UTF-8, empty, or a header without the columns."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


def plan_import(
    content: bytes, *, deactivate_missing: bool = False, importer: AbstractBaseUser | None = None
) -> ImportPlan:
    """Check ``content``, a CSV file, and plan what importing it changes; see the module's contract.

    ``importer`` is the person importing, in the admin; the command line imports with every right.
    """
    try:
        rows, errors, ignored = read_rows(content)
    except FileError as error:
        return ImportPlan(errors=error.errors)
    user_ids = existing_user_ids({row.username for row in rows} | {row.manager for row in rows if row.manager})
    errors += manager_errors(rows, user_ids)
    if errors:
        return ImportPlan(errors=sorted(errors, key=lambda error: error.line), ignored_columns=ignored)
    plan = ImportPlan(ignored_columns=ignored, user_ids=user_ids)
    # Changing an account's email lets whoever controls the new address reset its password, so only a
    # superuser may import changes to a superuser's account.
    protect_superusers = importer is not None and not importer.is_superuser
    compare_with_records(plan, rows, protect_superusers=protect_superusers)
    if plan.errors:
        return ImportPlan(errors=plan.errors, ignored_columns=ignored)
    if deactivate_missing:
        in_file = {row.username for row in rows}
        active_staff = get_user_model().objects.filter(staff_profile__isnull=False, is_active=True)
        if protect_superusers:
            active_staff = active_staff.filter(is_superuser=False)
        plan.deactivations = sorted(
            username
            for username in active_staff.values_list(get_user_model().USERNAME_FIELD, flat=True)
            if username not in in_file
        )
    return plan


@transaction.atomic
def apply_plan(plan: ImportPlan) -> None:
    """Write ``plan``: create and change accounts and staff profiles, deactivate the missing. All or nothing."""
    if not plan.is_valid:
        raise ValueError("A plan with errors cannot be applied.")
    if not plan.has_changes:
        return
    User = get_user_model()
    new_users = [User(**{User.USERNAME_FIELD: row.username}) for row in plan.creates]
    for user, row in zip(new_users, plan.creates, strict=True):
        for name in USER_FIELDS:
            setattr(user, name, row.value(name))
        user.set_unusable_password()
    User.objects.bulk_create(new_users)
    # Read back rather than rely on bulk_create setting primary keys, which not every database does.
    user_ids = plan.user_ids | existing_user_ids(row.username for row in plan.creates)

    new_profiles = [filled_profile(StaffProfile(user_id=user_ids[row.username]), row, user_ids) for row in plan.creates]
    # Changes are written grouped by field and new value: an HR export mostly moves many people to
    # the same few departments and managers, and Django's bulk_update is slow for thousands of rows.
    user_updates: dict[tuple[str, Any], list[int]] = defaultdict(list)
    profile_updates: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for change in plan.changes:
        if change.adds_profile:
            new_profiles.append(filled_profile(StaffProfile(user_id=change.user_id), change.row, user_ids))
        for field_change in change.changes:
            if field_change.field in USER_FIELDS:
                user_updates[field_change.field, field_change.new].append(change.user_id)
            elif field_change.field == "manager" and not change.adds_profile:
                profile_updates["manager_id", user_ids.get(field_change.new)].append(change.user_id)
            elif not change.adds_profile:
                profile_updates[field_change.field, field_change.new].append(change.user_id)
    update_in_groups(User.objects.all(), "pk", user_updates)
    StaffProfile.objects.bulk_create(new_profiles)
    update_in_groups(StaffProfile.objects.all(), "user_id", profile_updates)
    update_in_groups(User.objects.all(), User.USERNAME_FIELD, {("is_active", False): plan.deactivations})

    # Bulk writes send no post_save, so the rules that saving one profile applies are applied here, once
    # and for everyone: when they run, every imported chain of managers is complete.
    apply_assignment_rules()


def filled_profile(profile: StaffProfile, row: StaffRow, user_ids: dict[str, int]) -> StaffProfile:
    """``profile`` with the values of ``row``."""
    profile.hire_date = row.hire_date
    profile.department = row.department
    profile.manager_id = user_ids.get(row.manager)
    profile.preferred_language = row.preferred_language
    if row.persian_name is not None:
        profile.persian_name = row.persian_name
    return profile


def update_in_groups(queryset: QuerySet, key: str, groups: dict[tuple[str, Any], list]) -> None:
    """Set each group's field to its value in the rows of ``queryset`` whose ``key`` is in the group."""
    for (name, value), keys in groups.items():
        for batch in batched(keys, LOOKUP_BATCH):
            queryset.filter(**{f"{key}__in": batch}).update(**{name: value})


# Reading the file


def read_rows(content: bytes) -> tuple[list[StaffRow], list[RowError], list[str]]:
    """The file's rows, the errors found in single rows and duplicates, and the ignored columns."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileError([RowError(line, gettext("The file is not UTF-8 text. Save it as “CSV UTF-8”."))]) from error
    # No name, address or date holds one, and PostgreSQL refuses a NUL: a file with one is not a staff list.
    if control := CONTROL_CHARACTERS.search(text):
        line = text[: control.start()].count("\n") + 1
        message = gettext("The file contains a control character (%(code)s), which no staff record can hold.")
        raise FileError([RowError(line, message % {"code": f"U+{ord(control[0]):04X}"})])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise FileError([RowError(1, gettext("The file is empty."))]) from None
    check_header(header)
    ignored = [name for name in header if name and name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]

    rows: list[StaffRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, cells in numbered(reader):
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[len(header) :]):
            message = gettext("this line has %(count)s values, the header names %(columns)s columns.")
            errors.append(RowError(line, message % {"count": len(cells), "columns": len(header)}))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        row, row_errors = parse_row(line, values, has_persian_name="persian_name" in header)
        errors += row_errors
        if not row.username:
            continue
        if row.username in seen:
            message = gettext("username “%(username)s” is also on line %(line)s.")
            errors.append(RowError(line, message % {"username": row.username, "line": seen[row.username]}))
            continue
        seen[row.username] = line
        rows.append(row)
    if not rows and not errors:
        raise FileError([RowError(1, gettext("The file has a header but no staff."))])
    return rows, errors, ignored


def check_header(header: list[str]) -> None:
    errors = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = gettext("the header lacks the columns %(columns)s; it needs %(required)s.")
        errors.append(RowError(1, message % {"columns": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)}))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        errors.append(RowError(1, gettext("the header repeats %(columns)s.") % {"columns": ", ".join(repeated)}))
    if errors:
        raise FileError(errors)


def numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on; a quoted value may span several lines."""
    line = reader.line_num + 1
    for cells in reader:
        yield line, cells
        line = reader.line_num + 1


def parse_row(line: int, values: dict[str, str], *, has_persian_name: bool) -> tuple[StaffRow, list[RowError]]:
    """The row on ``line`` and its errors; a row with errors is kept only to check the managers in the file."""
    User = get_user_model()
    problems: list[str] = []

    def checked(model, name: str, value: str) -> str:
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            problems.extend(f"{capfirst(model._meta.get_field(name).verbose_name)}: {m}" for m in error.messages)
        return value

    username = values.get("username", "")
    if username:
        checked(User, User.USERNAME_FIELD, username)
    else:
        problems.append(gettext("the username is missing."))

    email = BaseUserManager.normalize_email(values.get("email", ""))
    if email:
        try:
            User._meta.get_field("email").run_validators(email)
        except ValidationError:
            problems.append(gettext("“%(email)s” is not an email address.") % {"email": email})

    hire_date = None
    if raw_date := values.get("hire_date", ""):
        try:
            if not ISO_DATE.fullmatch(raw_date):
                raise ValueError(raw_date)
            hire_date = datetime.date.fromisoformat(raw_date)
        except ValueError:
            problems.append(gettext("the hire date “%(date)s” is not a date written yyyy-mm-dd.") % {"date": raw_date})

    language = values.get("language", "").lower()
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        message = gettext("unknown language “%(language)s”; the languages are %(codes)s.")
        problems.append(message % {"language": values["language"], "codes": ", ".join(codes)})

    active = values.get("active", "").lower()
    if active not in TRUE_WORDS | FALSE_WORDS:
        message = gettext("“%(value)s” in the active column is not one of true, false, 1, 0, yes, no.")
        problems.append(message % {"value": values["active"]})

    manager = values.get("manager", "")
    if manager and manager == username:
        problems.append(gettext("manager loop: %(chain)s.") % {"chain": f"{username} → {username}"})

    persian_name = values.get("persian_name", "") if has_persian_name else None
    row = StaffRow(
        line=line,
        username=username,
        first_name=checked(User, "first_name", values.get("first_name", "")),
        last_name=checked(User, "last_name", values.get("last_name", "")),
        email=email,
        hire_date=hire_date,
        department=checked(StaffProfile, "department", values.get("department", "")),
        manager=manager,
        preferred_language=language,
        is_active=active not in FALSE_WORDS,
        persian_name=checked(StaffProfile, "persian_name", persian_name) if persian_name else persian_name,
    )
    return row, [RowError(line, problem) for problem in problems]


# Checking against the records


def in_batches(queryset: QuerySet, field_name: str, values: Iterable) -> Iterator:
    """The objects of ``queryset`` whose ``field_name`` is among ``values``, a batch of values per query."""
    for batch in batched(values, LOOKUP_BATCH):
        yield from queryset.filter(**{f"{field_name}__in": batch})


def existing_user_ids(usernames: Iterable[str]) -> dict[str, int]:
    User = get_user_model()
    users = in_batches(User.objects.only("pk", User.USERNAME_FIELD), User.USERNAME_FIELD, usernames)
    return {user.get_username(): user.pk for user in users}


def manager_errors(rows: list[StaffRow], user_ids: dict[str, int]) -> list[RowError]:
    """Unknown managers, and rows whose chain of managers, in the file and then on record, comes back to them."""
    errors = []
    in_file = {row.username for row in rows}
    for row in rows:
        if row.manager and row.manager not in in_file and row.manager not in user_ids:
            message = gettext("unknown manager “%(manager)s”: not in the file and no account has that username.")
            errors.append(RowError(row.line, message % {"manager": row.manager}))

    manager_of = dict(
        StaffProfile.objects.filter(manager__isnull=False).values_list(
            f"user__{get_user_model().USERNAME_FIELD}", f"manager__{get_user_model().USERNAME_FIELD}"
        )
    )
    manager_of.update({row.username: row.manager for row in rows})
    reaches_the_top: set[str] = set()
    for row in rows:
        chain = [row.username]
        while (boss := manager_of.get(chain[-1])) and boss not in reaches_the_top and boss not in chain:
            chain.append(boss)
        if boss == row.username and len(chain) > 1:
            message = gettext("manager loop: %(chain)s.")
            errors.append(RowError(row.line, message % {"chain": " → ".join([*chain, row.username])}))
        elif not boss or boss in reaches_the_top:
            reaches_the_top.update(chain)
    return errors


def compare_with_records(plan: ImportPlan, rows: list[StaffRow], *, protect_superusers: bool) -> None:
    """Sort ``rows`` into the plan's creations, changes and unchanged rows; refuse changes to protected accounts."""
    User = get_user_model()
    existing = {
        user.get_username(): user
        for user in in_batches(
            User.objects.select_related("staff_profile__manager"), User.USERNAME_FIELD, [row.username for row in rows]
        )
    }
    for row in rows:
        user = existing.get(row.username)
        if user is None:
            plan.creates.append(row)
            continue
        profile = getattr(user, "staff_profile", None)
        on_record = {name: getattr(user, name) for name in USER_FIELDS}
        if profile is None:
            on_record |= {
                "hire_date": None,
                "department": "",
                "manager": "",
                "preferred_language": "",
                "persian_name": "",
            }
        else:
            on_record |= {
                "hire_date": profile.hire_date,
                "department": profile.department,
                "manager": profile.manager.get_username() if profile.manager else "",
                "preferred_language": profile.preferred_language,
                "persian_name": profile.persian_name,
            }
        changes = [
            FieldChange(name, old, row.value(name))
            for name, old in on_record.items()
            if row.value(name) is not None and row.value(name) != old
        ]
        if protect_superusers and user.is_superuser and any(change.field in USER_FIELDS for change in changes):
            message = gettext("“%(username)s” is a superuser: only a superuser can import changes to that account.")
            plan.errors.append(RowError(row.line, message % {"username": row.username}))
        elif changes or profile is None:
            plan.changes.append(RowChange(row, user.pk, changes, adds_profile=profile is None))
        else:
            plan.unchanged.append(row)
