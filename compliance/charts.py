"""Charts of the admin home panel, drawn on the server as SVG in the viewer's language and direction.

Each chart is a list of bars with their geometry worked out here, so the template only places them.
In a right-to-left language the charts are mirrored: labels on the right, bars growing leftwards,
months running from right to left; numbers are written in the language's digits.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import jdatetime
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, get_language_bidi

from compliance.filters import due_soon_filter, localized_titles
from courses.formatting import local_digits, local_number
from courses.models import CourseCompletion

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 22
ROW_HEIGHT = 32
COLUMN_CHART_HEIGHT = 180


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value as text, and where it and its texts go."""

    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    rtl: bool

    # The SVG's ``direction`` follows the language, and text anchors follow the direction: a label
    # ends against its bar and a value starts after it, in either direction.
    label_anchor = "end"
    value_anchor = "start"


def completion_rates(enrollments) -> Chart:
    """Per course, the share of required enrolments held valid today, from ``enrollments`` (the viewer's)."""
    totals = (
        enrollments.required()
        .with_status()
        .order_by("course__path")
        .values("course__path", "course__translation_key")
        .annotate(total=Count("pk"), compliant=Count("pk", filter=Q(is_compliant=True)))
    )
    totals = list(totals)
    titles = localized_titles([row["course__translation_key"] for row in totals])
    rtl = get_language_bidi()
    bar_area = WIDTH - LABEL_WIDTH - 60
    bars = []
    for row, counts in enumerate(totals):
        share = counts["compliant"] / counts["total"] if counts["total"] else 0
        width = bar_area * share
        y = row * ROW_HEIGHT
        x = LABEL_WIDTH
        label_x = LABEL_WIDTH - 8
        value_x = LABEL_WIDTH + width + 6
        if rtl:
            x, label_x, value_x = WIDTH - LABEL_WIDTH - width, WIDTH - label_x, WIDTH - value_x
        bars.append(
            Bar(
                label=titles[counts["course__translation_key"]],
                value_text=percent(share),
                x=x,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                label_x=label_x,
                value_x=value_x,
                text_y=y + BAR_HEIGHT * 0.7,
            )
        )
    return Chart(bars, WIDTH, max(ROW_HEIGHT * len(bars), ROW_HEIGHT), rtl)


def completions_per_month(enrollments, months: int = 12) -> Chart:
    """Completions of ``enrollments`` in each of the last ``months`` months (Jalali months in Persian)."""
    today = timezone.localdate()
    buckets = _months(today, months)
    first_day = buckets[0][0]
    days = (
        CourseCompletion.objects.filter(enrollment__in=enrollments, completed_at__date__gte=first_day)
        .annotate(day=TruncDate("completed_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    counts: Counter = Counter()
    for day, count in days:
        counts[_month_key(day)] += count
    rtl = get_language_bidi()
    highest = max([counts[key] for _start, key, _label in buckets] + [1])
    column = WIDTH / len(buckets)
    plot = COLUMN_CHART_HEIGHT - 40
    bars = []
    for position, (_start, key, label) in enumerate(buckets):
        height = plot * counts[key] / highest
        slot = len(buckets) - 1 - position if rtl else position
        x = slot * column + column * 0.2
        bars.append(
            Bar(
                label=label,
                value_text=local_number(counts[key]),
                x=x,
                y=20 + plot - height,
                width=column * 0.6,
                height=height,
                label_x=x + column * 0.3,
                value_x=x + column * 0.3,
                text_y=COLUMN_CHART_HEIGHT - 6,
            )
        )
    return Chart(bars, WIDTH, COLUMN_CHART_HEIGHT, rtl)


def percent(share: float) -> str:
    """``share`` as a whole percentage, with the language's digits and sign: 60% or ۶۰٪."""
    text = f"{round(100 * share)}%"
    return local_digits(text.replace("%", "٪")) if get_language() == "fa" else text


def _month_key(day: datetime.date) -> tuple[int, int]:
    if get_language() == "fa":
        jalali = jdatetime.date.fromgregorian(date=day)
        return jalali.year, jalali.month
    return day.year, day.month


def _months(today: datetime.date, count: int) -> list[tuple[datetime.date, tuple[int, int], str]]:
    """The last ``count`` months up to ``today``, oldest first: (first day, key, short label)."""
    months = []
    if get_language() == "fa":
        month = jdatetime.date.fromgregorian(date=today).replace(day=1)
        for _ in range(count):
            label = local_digits(f"{jdatetime.date.j_months_fa[month.month - 1]}")
            months.append((month.togregorian(), (month.year, month.month), label))
            month = (month - datetime.timedelta(days=1)).replace(day=1)
    else:
        month = today.replace(day=1)
        for _ in range(count):
            months.append((month, (month.year, month.month), date_format(month, "M")))
            month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def due_counts(enrollments) -> dict[str, int]:
    """How many of ``enrollments`` (required today) are overdue, and how many are due soon."""
    today = timezone.localdate()
    statuses = enrollments.required().with_status()
    return statuses.aggregate(
        overdue=Count("pk", filter=Q(status="overdue")),
        due_soon=Count("pk", filter=due_soon_filter(today)),
    )
