"""Numbers and dates written the way the active language writes them.

Persian gets Persian digits and Jalali dates; other languages their usual forms.
"""

import datetime
import functools

import jdatetime
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language

#: Languages written with their own digits, and those digits from zero to nine.
NATIVE_DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹"}
#: Thousands separators Django's locale formats do not give.
THOUSANDS_SEPARATORS = {"fa": "٬"}


def local_digits(value) -> str:
    """``value`` as text, written with the active language's own digits."""
    text = str(value)
    digits = NATIVE_DIGITS.get(get_language())
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def local_signed(value: int) -> str:
    """A whole number that may be negative, its minus sign kept before the digits in right-to-left text.

    A minus sign is a weak character in the Unicode bidirectional algorithm: in a right-to-left
    line it lands after the digits ("۱-"). A left-to-right mark before it keeps "-۱" together.
    """
    digits = local_digits(abs(value))
    return f"\u200e\u2212{digits}" if value < 0 else digits


def local_number(value: int) -> str:
    """A whole number with thousands grouped, in the active language's digits: 2,000,000 or ۲٬۰۰۰٬۰۰۰."""
    separator = THOUSANDS_SEPARATORS.get(get_language())
    grouped = f"{value:,}".replace(",", separator) if separator else number_format(value, force_grouping=True)
    return local_digits(grouped)


def local_date(value: datetime.date | datetime.datetime | None, style: str = "long") -> str:
    """A date (or datetime, taken in the current time zone) in the active language's calendar.

    ``style`` is ``"long"`` (2 Azar 1405, 23 November 2026) or ``"short"`` (1405/09/02, 2026-11-23).
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return _date_in(value, get_language(), style)


# A page of histories writes hundreds of dates, and Django's date_format takes a tenth of a millisecond
# for each: remember the few thousand most recent, which depend on nothing but these arguments.
@functools.lru_cache(maxsize=4096)
def _date_in(value: datetime.date, language: str, style: str) -> str:
    if language == "fa":
        jalali = jdatetime.date.fromgregorian(date=value)
        if style == "short":
            return local_digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}")
        return local_digits(f"{jalali.day} {jdatetime.date.j_months_fa[jalali.month - 1]} {jalali.year}")
    return value.isoformat() if style == "short" else date_format(value, "j F Y")


def local_datetime(value: datetime.datetime | None) -> str:
    """A moment in the current time zone, in the active language's calendar: 1 December 2026, 13:51."""
    if not value:
        return ""
    value = timezone.localtime(value)
    separator = _DATE_TIME_SEPARATORS.get(get_language(), ", ")
    return f"{local_date(value)}{separator}{local_digits(value.strftime('%H:%M'))}"


#: What stands between a date and a time where a comma is not the language's own.
_DATE_TIME_SEPARATORS = {"fa": "، "}
