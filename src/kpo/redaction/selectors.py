"""Reads about sensitive terms."""

from __future__ import annotations

from django.db.models import QuerySet

from kpo.engine.redaction import Category
from kpo.redaction.models import SensitiveTerm


def terms_of(client_id: int) -> QuerySet[SensitiveTerm]:
    """A client's declared terms, by category then term."""
    return SensitiveTerm.objects.filter(client_id=client_id).order_by("category", "term", "id")


def term_list_for_detection(client_id: int) -> tuple[tuple[str, Category], ...]:
    """(term, category) pairs of a client, in a stable order (one query): the deny lists' input."""
    rows = SensitiveTerm.objects.filter(client_id=client_id).values_list("term", "category").order_by("id")
    return tuple((term, Category(category)) for term, category in rows)
