"""Query helpers the selectors share: optional filters and a text search over several fields."""

from __future__ import annotations

import functools
import operator
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def is_given(value: object) -> bool:
    """A filter's value was given: it is neither None nor ""."""
    return value is not None and value != ""


def filter_given(queryset: QuerySet[M], **lookups: object) -> QuerySet[M]:
    """`queryset` filtered by each lookup whose value is given."""
    given = {lookup: value for lookup, value in lookups.items() if is_given(value)}
    return queryset.filter(**given) if given else queryset


def contains_text(text: str, *fields: str) -> Q:
    """Rows where any of `fields` contains `text`, ignoring case."""
    return functools.reduce(operator.or_, (Q(**{f"{field}__icontains": text}) for field in fields))
