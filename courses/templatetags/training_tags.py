"""Template tags of the training site: dates and numbers per language, activities, the language switcher."""

import html

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from courses import formatting
from courses.models import TrainingIndexPage
from courses.next_steps import NextSteps, next_steps
from courses.page_memory import remembered

register = template.Library()

register.filter("local_digits", formatting.local_digits)
register.filter("local_number", formatting.local_number)
register.filter("local_signed", formatting.local_signed)
register.filter("training_date", formatting.local_date)


@register.simple_tag(takes_context=True)
def render_activity(context, state) -> SafeString:
    """An activity of the lesson page, rendered as an include is: inside the page's context, so the context
    processors the page ran are not run again for each activity (``Activity.render`` renders one on its own)."""
    activity = state.activity
    template = context.template.engine.get_template(activity.template_name)
    with context.push(activity.get_context(context["request"], state)):
        return template.render(context)


@register.simple_tag(takes_context=True)
def learner_next_steps(context) -> NextSteps:
    """Where the learner left off and what is due next (see ``courses.next_steps``)."""
    return next_steps(context["request"].user)


@register.simple_tag
def login_url() -> str:
    """The site's login page (``LOGIN_URL``), whatever app provides it."""
    return resolve_url(settings.LOGIN_URL)


@register.simple_tag(takes_context=True)
def training_index_url(context) -> str:
    """The catalogue: the page's own (``training_index`` in the context), or the one in the active language."""
    index = context.get("training_index")
    if index is not None:
        return index.url

    def find() -> str:
        index = TrainingIndexPage.objects.live().filter(locale__language_code=language).first()
        return index.url if index else "/"

    # Every page's header asks: each process remembers it until the content changes (courses.page_memory).
    language = get_supported_content_language_variant(get_language())
    return remembered(("training index url", language), find)


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


# The two lesson lists and the dashboard's histories are built here rather than in a template loop: a
# loop's tags cost about 40 µs a row, and a course's pages are to cost about the same for a hundred
# lessons as for one (a dashboard, for a long history as for none). Every value that varies goes
# through the standard library's html.escape (what Django's escape() does for text, without its check
# for lazy strings, which costs more than the escaping); the rest is fixed markup and translated words.


@register.simple_tag
def course_lesson_items(lessons, enrollment) -> SafeString:
    """The ``<li>`` items of the course page's lesson list: linked for an enrolled learner, with what they did."""
    done = format_html('<span class="badge badge--done">{}</span>', gettext("Done"))
    tested_out = format_html('<span class="badge badge--done">{}</span>', gettext("Tested out"))
    optional = format_html('<span class="badge">{}</span>', gettext("Optional"))
    not_in_refreshers = format_html('<span class="badge">{}</span>', gettext("Not in refreshers"))
    refresher = enrollment is not None and enrollment.cycle_is_refresher
    items = []
    for lesson in lessons:
        if lesson.is_tested_out:
            badge = tested_out
        elif lesson.is_complete:
            badge = done
        elif not lesson.required:
            badge = optional
        elif refresher and not lesson.in_refreshers:
            badge = not_in_refreshers
        else:
            badge = ""
        title = html.escape(lesson.title)
        link = f'<a href="{html.escape(lesson.url)}">{title}</a>' if enrollment else f"<span>{title}</span>"
        summary = f'<p class="meta">{html.escape(lesson.summary)}</p>\n' if lesson.summary else ""
        complete = " is-complete" if lesson.is_complete else ""
        items.append(f'<li class="lesson-list__item{complete}">\n{link}\n{badge}\n{summary}</li>\n')
    return mark_safe("".join(items))  # noqa: S308 - see above


@register.simple_tag
def lesson_menu_items(lessons, current) -> SafeString:
    """The ``<li>`` items of the lesson page's menu of its course's lessons, ``current`` marked as the page."""
    done = format_html(
        '\n<span class="lesson-done"><span aria-hidden="true">✓</span> <span>{}</span></span>', gettext("Done")
    )
    items = []
    for lesson in lessons:
        complete = "is-complete" if lesson.is_complete else ""
        here = ' aria-current="page"' if lesson.pk == current.pk else ""
        mark = done if lesson.is_complete else ""
        link = f'<a href="{html.escape(lesson.url)}"{here}>{html.escape(lesson.title)}</a>'
        items.append(f'<li class="{complete}">\n{link}{mark}\n</li>\n')
    return mark_safe("".join(items))  # noqa: S308 - see above


@register.simple_tag
def cycle_history_items(history) -> SafeString:
    """The ``<li>`` items of a dashboard card's history (``Enrollment.history``): each cycle, newest first, with
    its dates. A learner of some years has dozens of these on their dashboard."""
    refresher, first_time = gettext("Refresher"), gettext("First time")
    opened, completed = gettext("opened %(date)s"), gettext("completed %(date)s")
    valid_until, due = gettext("valid until %(date)s"), gettext("due %(date)s")
    items = []
    for cycle, completion in history:
        kind = refresher if cycle.is_refresher else first_time
        parts = [kind, opened % {"date": formatting.local_date(cycle.opened_on)}]
        if completion:
            parts.append(completed % {"date": formatting.local_date(completion.completed_at)})
            if completion.valid_until:
                parts.append(valid_until % {"date": formatting.local_date(completion.valid_until)})
        elif cycle.due_on:
            parts.append(due % {"date": formatting.local_date(cycle.due_on)})
        items.append(f"<li>{html.escape(' · '.join(parts))}</li>\n")
    return mark_safe("".join(items))  # noqa: S308 - see above


@register.filter
def question_rows(activity, state) -> list:
    """The rows of a choice-question activity's form for ``state`` (see ``ChoiceQuestionsMixin.question_rows``)."""
    return list(activity.question_rows(state).values())


#: Hooks other apps register to add to the learner's pages. Each function takes the template context
#: and returns HTML (or an empty string): header items are ``<li>`` elements of the main menu.
PAGE_HOOKS = {
    "header": "training_header_items",
    "dashboard": "training_dashboard_panels",
    "course": "training_course_panels",
}


@register.simple_tag(takes_context=True)
def training_panels(context, place: str) -> SafeString:
    """What installed apps add at ``place`` (``header``, ``dashboard`` or ``course``) through Wagtail hooks."""
    parts = (function(context) for function in hooks.get_hooks(PAGE_HOOKS[place]))
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - each hook returns rendered, escaped HTML
