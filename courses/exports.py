"""Spreadsheet exports that a spreadsheet program cannot run.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is read as a formula by Excel, LibreOffice and Google Sheets; a learner's name or a
department typed that way could run one on a trainer's computer. :func:`safe_cell` writes such
text with a leading apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

from typing import Any

#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell that cannot be a formula; numbers, dates and safe text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class SafeSpreadsheetExportMixin:
    """For a Wagtail index view with ``list_export``: every exported cell, CSV or XLSX, goes through
    :func:`safe_cell`."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return safe_cell(super().preprocess_field_value(field, value, export_format))
