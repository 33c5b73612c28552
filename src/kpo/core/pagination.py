"""Pages of long lists whose total is counted only up to a cap.

Counting every match of a directory of 100,000 experts costs more than the page itself. The count stops
at the cap (or, for a page further on, just past that page), the page says "more than N", and "next"
stays offered while there are rows.

A page deep in a list (from DEEP_OFFSET rows on, with either paginator here) is read in two steps: the
ids of its rows first, in order (narrow rows the database can read along an index and skip cheaply), then
those rows. Read in one step, PostgreSQL sorted every visible expert's whole row to skip 12,475 of them on
page 500 (on disk: about a second at 100,000 experts).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COUNT_CAP = 1000
DEEP_OFFSET = 250


class DeepPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator of a queryset whose deep pages read their ids first (see the module's notes)."""

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        page = super().page(number)
        rows = page.object_list
        if isinstance(rows, QuerySet) and rows.query.low_mark >= DEEP_OFFSET:
            ids = list(rows.values_list("pk", flat=True))
            page.object_list = cast(QuerySet[Any], self.object_list).filter(pk__in=ids)
        return page


class CappedPaginator(DeepPaginator):
    """A paginator whose `count` stops past `cap`: `capped` tells that there are more rows than counted."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if 0 < wanted < 10**6:
            self.cap = max(self.cap, wanted * self.per_page)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        queryset = cast(QuerySet[Any], self.object_list)
        return int(queryset.order_by().values("pk")[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > self.cap
