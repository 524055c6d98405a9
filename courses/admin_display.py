"""Stored values as the training admin screens write them for a person to read.

Wagtail's generic views show a value as Python gives it: datetimes in UTC on inspect
screens, ``None`` for an empty relation, ``True`` and ``False`` for booleans. These
views and columns write them as the admin's user reads them instead: dates and times in
the current time zone and the active language's calendar and digits, blanks for nothing
and words for yes and no.

A viewset takes all of it with :class:`ReadableValuesMixin`; a custom index view
subclasses :class:`ReadableIndexView`, a custom inspect view :class:`ReadableInspectView`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as model_views

from courses.formatting import local_date, local_datetime, local_digits


def readable(value: Any) -> Any:
    """``value`` as a person reads it: local times, blanks for nothing, words for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if isinstance(value, datetime.date):
        return local_date(value)
    if isinstance(value, int):
        return local_digits(value)
    return value


class ReadableColumn(Column):
    """A listing column that writes its values with :func:`readable`."""

    def get_value(self, instance):
        return readable(super().get_value(instance))

    @classmethod
    def from_column(cls, column: Column) -> ReadableColumn:
        """The same column as ``column``, writing its values readably."""
        return cls(
            column.name,
            label=column.label,
            accessor=column.accessor,
            classname=column.classname,
            sort_key=column.sort_key,
            width=column.width,
            ascending_title_text=column.ascending_title_text,
            descending_title_text=column.descending_title_text,
        )


class ReadableIndexView(model_views.IndexView):
    """A listing whose plain columns write their values readably.

    Field names in ``list_display`` and plain :class:`~wagtail.admin.ui.tables.Column`
    objects become :class:`ReadableColumn`; columns of other classes keep their own rendering.
    """

    @cached_property
    def columns(self):
        return [ReadableColumn.from_column(column) if type(column) is Column else column for column in super().columns]

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ReadableColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


class ReadableInspectView(model_views.InspectView):
    """An inspect screen that writes each field's value with :func:`readable`."""

    def get_field_display_value(self, field_name, field):
        return readable(super().get_field_display_value(field_name, field))


class ReadableValuesMixin:
    """For a ``ModelViewSet``: its listing and inspect screen write values readably."""

    index_view_class = ReadableIndexView
    inspect_view_class = ReadableInspectView
