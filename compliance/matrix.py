"""The compliance matrix: people by courses, each cell an enrolment's status on a given day.

Contract: :class:`Matrix` takes the people already scoped, filtered and ordered (a queryset of
:class:`~courses.models.StaffProfile`), the courses for its columns and the day. It never pages or
filters people itself; it pivots whatever page of people it is handed, in one query for the page
(:meth:`Matrix.cells_for`), from the one status annotation (``Enrollment.objects.with_status``)
restricted to what was required of each learner on that day. Exports (:meth:`Matrix.rows`) walk
all the people as values in chunks, one status query a chunk, so memory stays flat whatever
their number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext

from compliance.filters import localized_titles
from courses.models import CoursePage, Enrollment, StaffProfile, Status

#: People pivoted per query when a whole matrix is exported: few enough that each query reads their
#: enrolments through the (learner, course) index rather than the whole table.
EXPORT_CHUNK = 500


class Cell(NamedTuple):
    """One learner's standing in one course on the matrix's day. A tuple: an export makes one per enrolment."""

    status: str
    date: datetime.date | None
    enrollment_id: int

    @property
    def label(self) -> str:
        return str(Status(self.status).label)


class Matrix:
    """People (rows) by courses (columns) on ``day``."""

    def __init__(self, people: QuerySet[StaffProfile], courses: list[CoursePage], day: datetime.date):
        self.people = people
        self.courses = courses
        self.day = day
        titles = localized_titles(course.translation_key for course in courses)
        #: The courses' titles in the admin's language, in column order.
        self.titles = [titles[course.translation_key] for course in courses]

    def cells_for(self, people: Iterable[StaffProfile]) -> list[StaffProfile]:
        """Set ``person.cells`` (a :class:`Cell` per course, or None where nothing was required) on ``people``."""
        people = list(people)
        cells = {
            (user_id, course_id): Cell(status, date, pk)
            for user_id, course_id, status, date, pk in self._statuses([person.user_id for person in people])
        }
        for person in people:
            person.cells = [cells.get((person.user_id, course.pk)) for course in self.courses]
        return people

    def _statuses(self, user_ids: list[int]) -> QuerySet:
        """(user id, course id, status, status date, enrolment id) of the people ``user_ids``, in one query."""
        return (
            Enrollment.objects.required(self.day)
            .with_status(self.day)
            .filter(user_id__in=user_ids, course__in=self.courses)
            .order_by()
            .values_list("user_id", "course_id", "status", "status_date", "pk")
        )

    def headings(self) -> list[str]:
        headings = [gettext("Name"), gettext("Department"), gettext("Manager"), gettext("Hire date")]
        for title in self.titles:
            headings += [
                gettext("%(course)s: status") % {"course": title},
                gettext("%(course)s: date") % {"course": title},
            ]
        return headings

    def rows(self) -> Iterator[list]:
        """Every person's row, as exported: names in the active language, dates as dates, statuses as words.

        The people are read as values, a chunk at a time, and each chunk's cells in one query.
        """
        language = get_language()
        labels = {status: str(label) for status, label in Status.choices}
        not_required = [gettext("Not required"), None]
        choose_name = StaffProfile.choose_name
        people = self.people.values_list(*PERSON_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(islice(people, EXPORT_CHUNK)):
            cells = {
                (user_id, course_id): [labels[status], date]
                for user_id, course_id, status, date, _ in self._statuses([person[0] for person in chunk])
            }
            for user_id, username, first, last, persian, department, hire_date, *manager in chunk:
                row = [
                    choose_name(language, persian, f"{first} {last}".strip(), username),
                    department,
                    _manager_name(language, *manager),
                    hire_date,
                ]
                for course in self.courses:
                    row += cells.get((user_id, course.pk), not_required)
                yield row


#: What an exported row says of a person, in the order :meth:`Matrix.rows` reads it.
PERSON_FIELDS = (
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "persian_name",
    "department",
    "hire_date",
    "manager__username",
    "manager__first_name",
    "manager__last_name",
    "manager__staff_profile__persian_name",
)


def _manager_name(language: str, username: str | None, first: str, last: str, persian: str | None) -> str:
    """:func:`manager_name` from values: a manager without a profile has no Persian name."""
    if username is None:
        return ""
    return StaffProfile.choose_name(language, persian or "", f"{first} {last}".strip(), username)


def manager_name(person: StaffProfile, language: str) -> str:
    """The name of ``person``'s manager in ``language``; their username when they have no profile."""
    manager = person.manager
    if manager is None:
        return ""
    profile = getattr(manager, "staff_profile", None)
    return profile.name_for(language) if profile else manager.get_full_name() or manager.get_username()
