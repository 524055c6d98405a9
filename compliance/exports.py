"""Exports of the compliance reports that an auditor can check and make again.

Contract: a report view that mixes in :class:`AuditedExportMixin` gives its headings
(:meth:`~AuditedExportMixin.export_header`), its rows as lists of values in any number
(:meth:`~AuditedExportMixin.export_rows`, a generator, so that memory stays flat) and what
was asked of it (:meth:`~AuditedExportMixin.export_parameters`). ``?export=csv`` streams a
CSV file of the headings and rows, then a blank line, the parameters and the SHA-256 of the
lines above it; ``?export=xlsx`` writes the same rows to a workbook's first sheet (written row by row
to a temporary file with XlsxWriter, then streamed) and the parameters with the same SHA-256
to a second sheet. Every text cell, headings and parameters included, passes through
:func:`courses.exports.safe_cell`; the SHA-256 is that of the rows as written.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from courses.exports import safe_cell

#: Rows of a CSV export sent to the client at a time: large enough that a 10,000-row export is a
#: few dozen writes, small enough to stay a few hundred kilobytes.
CSV_ROWS_PER_CHUNK = 500

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows go to disk as they are written; text stays text (never a formula or a link), whatever it starts with.
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "remove_timezone": True,
}


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
        # Written row by row to a temporary file, so neither the rows nor the file weigh on the server's memory.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook = xlsxwriter.Workbook(output, XLSX_OPTIONS)
        sheet = workbook.add_worksheet((self.export_sheet_title or gettext("Report"))[:31])
        dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
        lines = CsvLines()
        header = self.export_header()
        lines.hashed(header)
        sheet.write_row(0, 0, safe_row(header))
        for number, row in enumerate(self.export_rows(), start=1):
            lines.hashed(row)
            for column, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(number, column, value, dates)
                else:
                    sheet.write(number, column, safe_cell(value))
        about = workbook.add_worksheet(gettext("Parameters")[:31])
        parameters = [
            *self.export_parameters(),
            (gettext("SHA-256 of the first sheet's rows as CSV"), lines.hexdigest()),
        ]
        for number, parameter in enumerate(parameters):
            about.write_row(number, 0, safe_row(parameter))
        workbook.close()
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=f"{self.export_name()}.xlsx", content_type=XLSX_CONTENT_TYPE
        )
