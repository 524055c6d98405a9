"""Every row of every table, to show that an operation changed nothing (or only what it should)."""

import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.blocks import StreamValue

#: Tables of bookkeeping rather than records: sessions, login logs, the search index, task results.
BOOKKEEPING = {"sessions.session", "axes.accesslog", "wagtailsearch.indexentry", "django_tasks_db.dbtaskresult"}


def database_rows(exclude: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Each model's rows as sorted tuples of their column values, keyed by ``app_label.model_name``."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model._meta.managed or model._meta.proxy or label in BOOKKEEPING | set(exclude):
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[label] = sorted(
            (tuple(_comparable(value) for value in row) for row in model._base_manager.values_list(*columns)), key=repr
        )
    return rows


def _comparable(value):
    # A StreamField's value compares by identity; its stored JSON compares by content.
    if isinstance(value, StreamValue):
        return json.dumps(value.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return value


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, tuple[int, int]]:
    """The tables whose rows differ, each with its row counts before and after."""
    return {label: (len(before[label]), len(after[label])) for label in before if before[label] != after[label]}
