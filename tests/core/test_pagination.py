"""Long lists count their matches only up to a cap, and page on past it."""

from __future__ import annotations

import pytest

from kpo.core.pagination import CappedPaginator
from kpo.experts.models import EscoSkill

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly() -> None:
    first_ids = list(EscoSkill.objects.order_by("id").values_list("id", flat=True)[:30])
    paginator = CappedPaginator(EscoSkill.objects.filter(id__in=first_ids).order_by("id"), 25, cap=100)
    page = paginator.get_page(1)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (30, False, 2)
    assert len(page.object_list) == 25


def test_a_long_list_says_more_and_pages_on_past_the_cap() -> None:
    skills = EscoSkill.objects.order_by("id")
    total = skills.count()
    assert total > 1000
    paginator = CappedPaginator(skills, 25, cap=100)
    first = paginator.get_page(1)
    assert (paginator.count, paginator.capped) == (101, True)
    assert first.has_next()
    further = CappedPaginator(skills, 25, cap=100).get_page(20)  # row 476 onwards, past the cap
    assert further.number == 20
    assert len(further.object_list) == 25
    assert further.has_next()
    assert further.object_list[0] == skills[475]


def test_the_last_page_and_bad_page_numbers() -> None:
    skills = EscoSkill.objects.order_by("id")
    last = (skills.count() + 24) // 25
    page = CappedPaginator(skills, 25, cap=100).get_page(last)
    assert page.number == last
    assert not page.has_next()
    assert CappedPaginator(skills, 25, cap=100).get_page("x").number == 1
    assert CappedPaginator(skills, 25, cap=100).get_page(10**9).number >= 1


def test_a_deep_page_reads_its_ids_first_then_the_same_rows_in_the_same_order() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    skills = EscoSkill.objects.order_by("-label", "id")
    expected = list(skills[300:325])
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(skills, 25, cap=100).get_page(13)  # rows 301-325, past DEEP_OFFSET
        rows = list(page.object_list)
    assert rows == expected
    count, ids, read = (query["sql"] for query in queries.captured_queries)
    assert "COUNT" in count
    assert ids.startswith('SELECT "experts_escoskill"."id" AS "pk" FROM') and "OFFSET 300" in ids
    assert " IN (" in read and "OFFSET" not in read
    second = list(skills[25:50])
    with CaptureQueriesContext(connection) as queries:
        shallow = CappedPaginator(skills, 25, cap=100).get_page(2)
        assert list(shallow.object_list) == second
    assert len(queries.captured_queries) == 2  # the count and the page, in one step


def test_a_deep_page_of_an_organisations_people_is_the_same_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpo.core import pagination
    from kpo.orgs import selectors
    from tests.cast import build_cast

    cast = build_cast()
    people = list(selectors.organisation_member_users(cast.org_a))
    assert len(people) >= 3
    monkeypatch.setattr(selectors, "MEMBERS_PER_PAGE", 1)
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 1)  # every page after the first is "deep"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number, person in enumerate(people, start=1):
        with CaptureQueriesContext(connection) as queries:
            page = selectors.organisation_member_page(cast.org_a, str(number))
        assert [row.user for row in page.object_list] == [person]
        assert page.paginator.count == len(people)
        ids_first = [
            q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_user"."id" AS')
        ]
        assert len(ids_first) == (number > 1)
