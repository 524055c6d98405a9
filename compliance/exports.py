"""Exports of the compliance reports that an auditor can check and make again.

Contract: a report view that mixes in :class:`AuditedExportMixin` gives its headings
(:meth:`~AuditedExportMixin.export_header`), its rows as lists of values in any number
(:meth:`~AuditedExportMixin.export_rows`, a generator, so that memory stays flat) and what
was asked of it (:meth:`~AuditedExportMixin.export_parameters`). ``?export=csv`` streams a
CSV file of the headings and rows, then a blank line, the parameters and the SHA-256 of the
lines above it; ``?export=xlsx`` writes the same rows to a workbook's first sheet (built in
write-only mode in a temporary file, then streamed) and the parameters with the same SHA-256
to a second sheet. Every text cell, headings and parameters included, passes through
:func:`courses.exports.safe_cell`; the SHA-256 is that of the rows as written.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from courses.exports import safe_cell

#: Rows of a CSV export sent to the client at a time: large enough that a 10,000-row export is a
#: few dozen writes, small enough to stay a few hundred kilobytes.
CSV_ROWS_PER_CHUNK = 500

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_row(row: Iterable) -> list:
    """``row`` with each text cell made safe for a spreadsheet."""
    return list(map(safe_cell, row))


class _Line:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, text: str) -> str:
        return text


class CsvLines:
    """Writes rows as CSV lines, keeping the SHA-256 of those written with :meth:`hashed`."""

    def __init__(self):
        self._writer = csv.writer(_Line())
        self._hash = hashlib.sha256()

    def plain(self, row: Iterable) -> str:
        return self._writer.writerow(safe_row(row))

    def hashed(self, row: Iterable) -> str:
        line = self.plain(row)
        self._hash.update(line.encode())
        return line

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class AuditedExportMixin:
    """CSV and XLSX exports of a report view that carry their parameters and the SHA-256 of their rows."""

    #: Title of the XLSX sheet of rows.
    export_sheet_title = ""

    def export_header(self) -> list[str]:
        raise NotImplementedError

    def export_rows(self) -> Iterator[list]:
        raise NotImplementedError

    def export_day(self) -> date:
        """The day the report shows."""
        return timezone.localdate()

    def export_parameters(self) -> list[tuple[str, str]]:
        """What an auditor needs to make the same export again: the report, the day, the scope, every filter."""
        raise NotImplementedError

    def export_name(self) -> str:
        return f"{self.export_filename}-{self.export_day().isoformat()}"

    def get(self, request, *args, **kwargs):
        # Straight to the rows: an export needs neither the page's context nor its paging.
        if self.is_export:
            if request.GET["export"] == self.FORMAT_CSV:
                return self.csv_response()
            return self.xlsx_response()
        return super().get(request, *args, **kwargs)

    def csv_response(self) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.csv_lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.export_name()}.csv"'
        return response

    def csv_lines(self) -> Iterator[str]:
        lines = CsvLines()
        chunk = [lines.hashed(self.export_header())]
        for row in self.export_rows():
            chunk.append(lines.hashed(row))
            if len(chunk) == CSV_ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        chunk.append(lines.plain([]))
        chunk += [lines.plain(parameter) for parameter in self.export_parameters()]
        chunk.append(lines.plain([gettext("SHA-256 of the rows above"), lines.hexdigest()]))
        yield "".join(chunk)

    def xlsx_response(self) -> FileResponse:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(self.export_sheet_title or gettext("Report"))[:31])
        lines = CsvLines()
        header = self.export_header()
        lines.hashed(header)
        sheet.append(safe_row(header))
        date_cells = _DateCells(sheet)
        for row in self.export_rows():
            lines.hashed(row)
            sheet.append(
                [
                    date_cells(column, value) if isinstance(value, date) else safe_cell(value)
                    for column, value in enumerate(row)
                ]
            )
        about = workbook.create_sheet(title=gettext("Parameters")[:31])
        for parameter in self.export_parameters():
            about.append(safe_row(parameter))
        about.append([gettext("SHA-256 of the first sheet's rows as CSV"), lines.hexdigest()])
        # Written to disk rather than memory, so the file's size does not weigh on the server.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook.save(output)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=f"{self.export_name()}.xlsx", content_type=XLSX_CONTENT_TYPE
        )


class _DateCells:
    """Date cells that spreadsheets show as dates rather than as numbers.

    One styled cell per column, given its next value: a write-only sheet writes a row's cells as it is
    appended, and making and styling a cell for each of a large export's dates costs more than writing it.
    """

    def __init__(self, sheet):
        self.sheet = sheet
        self.cells: dict[int, WriteOnlyCell] = {}

    def __call__(self, column: int, value: date) -> WriteOnlyCell:
        cell = self.cells.get(column)
        if cell is None:
            cell = self.cells[column] = WriteOnlyCell(self.sheet)
            cell.number_format = "yyyy-mm-dd"
        cell.value = value
        return cell
