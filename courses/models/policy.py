"""Refresher policies: how long a completion stays valid, and when its refresher falls due.

A policy is a value, read from a course's Completion tab. Its dates are stored on each
completion when it is recorded, so a later change of policy never rewrites history.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Renewal(models.TextChoices):
    NEVER = "never", _("Never: a completion stays valid")
    EVERY_N_MONTHS = "months", _("Every few months from completion")
    FIXED_DATE = "fixed_date", _("Until a fixed day of the year")


def anniversary(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved on by ``months``; a day the target month lacks rolls on to the 1st of the next month.

    29 February 2028 + 12 months is 1 March 2029, so a year's validity from it ends on 28 February.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return day.replace(year=year, month=month)
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def day_of_year(year: int, month: int, day: int) -> datetime.date:
    """That day in ``year``; 29 February is 28 February in a common year."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Validity:
    """The dates a completion carries: valid from and until, when its refresher opens, when grace ends.

    ``until`` is ``None`` for a completion that never expires; the other dates are then ``None`` too.
    """

    valid_from: datetime.date
    until: datetime.date | None
    refresher_opens_on: datetime.date | None
    grace_until: datetime.date | None


@dataclass(frozen=True)
class RefresherPolicy:
    """When completions of a course expire, and the refresher window and grace period around that."""

    renewal: str = Renewal.NEVER
    every_months: int = 12
    fixed_month: int = 12
    fixed_day: int = 31
    window_days: int = 30
    grace_days: int = 0

    def expiry(self, valid_from: datetime.date) -> datetime.date | None:
        """The last day a completion valid from ``valid_from`` is valid, or ``None`` for never.

        Every N months: the day before the anniversary (12 months from 1 March runs to the end of
        February). A fixed day of the year: its first occurrence after ``valid_from`` plus the
        refresher window, so that a completion never starts with its refresher already open.
        """
        if self.renewal == Renewal.EVERY_N_MONTHS:
            return anniversary(valid_from, self.every_months) - datetime.timedelta(days=1)
        if self.renewal == Renewal.FIXED_DATE:
            earliest = valid_from + datetime.timedelta(days=self.window_days + 1)
            candidate = day_of_year(earliest.year, self.fixed_month, self.fixed_day)
            return (
                candidate if candidate >= earliest else day_of_year(earliest.year + 1, self.fixed_month, self.fixed_day)
            )
        return None

    def validity(self, valid_from: datetime.date) -> Validity:
        until = self.expiry(valid_from)
        if until is None:
            return Validity(valid_from, None, None, None)
        return Validity(
            valid_from,
            until,
            refresher_opens_on=until - datetime.timedelta(days=self.window_days),
            grace_until=until + datetime.timedelta(days=self.grace_days),
        )
