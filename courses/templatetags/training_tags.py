"""Template tags of the training site: dates and digits per language, the language switcher."""

import datetime

import jdatetime
from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from courses.models import TrainingIndexPage

register = template.Library()

#: Languages written with their own digits, and those digits from zero to nine.
NATIVE_DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹"}


def _digits_table() -> dict | None:
    digits = NATIVE_DIGITS.get(get_language())
    return str.maketrans("0123456789", digits) if digits else None


@register.filter
def local_digits(value) -> str:
    """``value`` as text, written with the active language's own digits."""
    text = str(value)
    table = _digits_table()
    return text.translate(table) if table else text


@register.filter
def training_date(value, style: str = "long") -> str:
    """A date (or datetime) for the active language: Jalali with Persian digits in Persian.

    ``style`` is ``"long"`` (2 Azar 1405, 23 November 2026) or ``"short"`` (1405/09/02, 2026-11-23).
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if get_language() == "fa":
        jalali = jdatetime.date.fromgregorian(date=value)
        if style == "short":
            text = f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}"
        else:
            text = f"{jalali.day} {jdatetime.date.j_months_fa[jalali.month - 1]} {jalali.year}"
        return local_digits(text)
    return local_digits(value.isoformat() if style == "short" else date_format(value, "j F Y"))


@register.simple_tag(takes_context=True)
def render_activity(context, state) -> str:
    return state.activity.render(context["request"], state)


@register.simple_tag(takes_context=True)
def training_index_url(context) -> str:
    """The catalogue: the page's own (``training_index`` in the context), or the one in the active language."""
    index = context.get("training_index")
    if index is None:
        index = TrainingIndexPage.objects.live().filter(locale__language_code=get_language()).first()
    return index.url if index else "/"


@register.inclusion_tag("courses/includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to this page in each language: the page's translation, or the same view."""
    request = context["request"]
    page = context.get("page")
    translations = {}
    if isinstance(page, Page) and not getattr(request, "is_preview", False):
        pages = getattr(page, "prefetched_translations", None)
        if pages is None:
            pages = page.get_translations(inclusive=True).select_related("locale")
        translations = {translation.locale.language_code: translation for translation in pages if translation.live}
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].url
        elif isinstance(page, Page):
            # No translation of this page: that language's home.
            url = translate_url("/", code)
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current, "bidi": info["bidi"]}
        )
    return {"links": links}
