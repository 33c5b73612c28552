"""Query helpers the selectors share: optional filters and a text search over several fields."""

from __future__ import annotations

import functools
import operator
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import CharField, F, Model, Q, QuerySet, Value
from django.db.models.functions import Concat

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


def people_matching(text: str) -> QuerySet[User]:
    """People whose user name, full name ("first last") or e-mail contains `text`, ignoring case.

    `%` and `_` are matched as themselves (Django escapes them in `icontains`)."""
    return User.objects.annotate(
        full_name=Concat(F("first_name"), Value(" "), F("last_name"), output_field=CharField())
    ).filter(contains_text(text, "username", "full_name", "email"))
