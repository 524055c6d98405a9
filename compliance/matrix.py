"""The compliance matrix: people by courses, each cell an enrolment's status on a given day.

Contract: :class:`Matrix` takes the people already scoped, filtered and ordered (a queryset of
:class:`~courses.models.StaffProfile`), the courses for its columns and the day. It never pages or
filters people itself; it pivots whatever page of people it is handed, in one query for the page
(:meth:`Matrix.cells_for`), from the one status annotation (``Enrollment.objects.with_status``)
restricted to what was required of each learner on that day. Exports (:meth:`Matrix.rows`) walk
all the people in chunks, so memory stays flat whatever their number, and hash the rows they
write: :class:`Fingerprint` gives the SHA-256 an auditor compares with a re-run.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext

from compliance.filters import localized_titles
from courses.models import CoursePage, Enrollment, StaffProfile, Status

#: People pivoted per query when a whole matrix is exported.
EXPORT_CHUNK = 2000


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
        """Set ``person.cells`` (course id to :class:`Cell`, or None where nothing was required) on ``people``."""
        people = list(people)
        cells: dict[tuple[int, int], Cell] = {}
        enrolments = (
            Enrollment.objects.required(self.day)
            .with_status(self.day)
            .filter(user_id__in=[person.user_id for person in people], course__in=self.courses)
            .order_by()
            .values_list("user_id", "course_id", "status", "status_date", "pk")
        )
        for user_id, course_id, status, date, pk in enrolments:
            cells[user_id, course_id] = Cell(status, date, pk)
        for person in people:
            person.cells = [cells.get((person.user_id, course.pk)) for course in self.courses]
        return people

    def headings(self) -> list[str]:
        headings = [gettext("Name"), gettext("Department"), gettext("Manager"), gettext("Hire date")]
        for title in self.titles:
            headings += [
                gettext("%(course)s: status") % {"course": title},
                gettext("%(course)s: date") % {"course": title},
            ]
        return headings

    def rows(self) -> Iterator[list]:
        """Every person's row, as exported: names in the active language, dates as dates, statuses as words."""
        language = get_language()
        people = self.people.select_related("user", "manager__staff_profile")
        chunk: list[StaffProfile] = []
        for person in people.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(person)
            if len(chunk) == EXPORT_CHUNK:
                yield from self._export_rows(chunk, language)
                chunk = []
        yield from self._export_rows(chunk, language)

    def _export_rows(self, people: list[StaffProfile], language: str) -> Iterator[list]:
        labels = {status: str(label) for status, label in Status.choices}
        not_required = gettext("Not required")
        for person in self.cells_for(people):
            row = [person.name_for(language), person.department, manager_name(person, language), person.hire_date]
            for cell in person.cells:
                row += [labels[cell.status], cell.date] if cell else [not_required, None]
            yield row


def manager_name(person: StaffProfile, language: str) -> str:
    """The name of ``person``'s manager in ``language``; their username when they have no profile."""
    manager = person.manager
    if manager is None:
        return ""
    profile = getattr(manager, "staff_profile", None)
    return profile.name_for(language) if profile else manager.get_full_name() or manager.get_username()


class Fingerprint:
    """SHA-256 of exported rows, each written as a CSV line with ISO dates, whatever the file's format."""

    def __init__(self):
        self._hash = hashlib.sha256()
        self._line = _Line()
        self._writer = csv.writer(self._line)

    def add(self, row: list) -> None:
        self._writer.writerow(["" if value is None else value for value in row])
        self._hash.update(self._line.value.encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Line:
    """A file-like object that keeps only the last line written to it."""

    value = ""

    def write(self, text: str) -> None:
        self.value = text
