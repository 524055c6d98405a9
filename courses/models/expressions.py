from django.db import models
from django.db.models.functions import Coalesce


def count_rows(queryset: models.QuerySet) -> Coalesce:
    """A subquery counting the rows of ``queryset``, which filters on OuterRef: no join, no GROUP BY outside."""
    counted = queryset.order_by().values(_all=models.Value(1)).annotate(n=models.Count("*")).values("n")
    return Coalesce(models.Subquery(counted), 0)


def sum_of(queryset: models.QuerySet, field: str) -> Coalesce:
    """A subquery adding up ``field`` over the rows of ``queryset``, which filters on OuterRef; 0 for no rows."""
    summed = queryset.order_by().values(_all=models.Value(1)).annotate(total=models.Sum(field)).values("total")
    return Coalesce(models.Subquery(summed), 0)
