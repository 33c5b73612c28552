"""List endpoints answer in a fixed number of queries, however many rows there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpo.experts.models import ExpertDomain, ExpertLanguage, ExpertProfile
from kpo.work.models import Engagement, Task
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8  # auth token + memberships + count + page + prefetches; never per row


def _count(call: Call, path: str, who: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call("GET", path, who)
    assert response.status_code == 200
    return len(queries)


def _more_engagements(cast: Cast, n: int) -> None:
    for i in range(n):
        engagement = Engagement.objects.create(
            client=cast.org_a,
            provider=cast.provider_p if i % 2 else cast.provider_q,
            title=f"Extra {i}",
            objective="More rows.",
            domain="data_analysis",
            budget=Decimal(1000 + i),
            currency="DKK",
            start_date=dt.date(2026, 11, 2),
            created_by=cast.bob,
        )
        Task.objects.create(
            engagement=engagement,
            title=f"Extra task {i}",
            description="x",
            effort_hours=Decimal(1),
            due_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
            created_by=cast.bob,
        )


def _more_experts(cast: Cast, n: int) -> None:
    start = User.objects.count()
    for i in range(start, start + n):
        user = User.objects.create(username=f"extra{i}", first_name="Extra", last_name=f"Expert {i}")
        profile = ExpertProfile.objects.create(
            user=user,
            organisation=cast.provider_p,
            headline=f"Analyst {i}",
            country="IN",
            time_zone="Asia/Kolkata",
            cost_rate=Decimal(20),
            bill_rate=Decimal(40),
            rate_currency="EUR",
        )
        ExpertLanguage.objects.create(expert=profile, language="en", level="B2")
        ExpertLanguage.objects.create(expert=profile, language="hi", level="native")
        ExpertDomain.objects.create(expert=profile, domain="data_analysis")


@pytest.mark.parametrize(
    ("path", "who", "grow"),
    [
        ("/api/engagements", "bob", _more_engagements),
        ("/api/engagements?sort=-budget&domain=data_analysis", "pete", _more_engagements),
        ("/api/tasks", "bob", _more_engagements),
        ("/api/experts", "bob", _more_experts),
        ("/api/experts?language=en&domain=data_analysis", "pete", _more_experts),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    cast: Cast, call: Call, django_assert_max_num_queries: object, path: str, who: str, grow: object
) -> None:
    call("GET", "/api/me", who)  # the token's first use also records last_used_at
    grow(cast, 1)  # type: ignore[operator]
    few = _count(call, path, who)
    grow(cast, 15)  # type: ignore[operator]
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        response = call("GET", path, who)
    assert len(response.json()["items"]) >= 7  # rows grew, queries did not
    assert _count(call, path, who) == few <= MAX_QUERIES
