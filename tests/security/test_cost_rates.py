"""Clients never see their providers' cost rates (issue 14, item 6): not on the rate-card page, not in
`GET /api/rate-cards`, not on an expert's profile; the provider's managers and auditors still do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kpo.economics.models import RateCardLine
from kpo.experts.models import EscoOccupation
from kpo.orgs.models import Membership
from tests.api.conftest import Call, call, token_for  # noqa: F401  (the API fixtures)
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

COST, BILL = Decimal("53.29"), Decimal("88.00")


@pytest.fixture
def line(cast: Cast) -> RateCardLine:
    occupation = EscoOccupation.objects.order_by("id").first()
    assert occupation is not None
    return RateCardLine.objects.create(
        provider=cast.provider_p,
        occupation=occupation,
        seniority="senior",
        cost_rate=COST,
        bill_rate=BILL,
        currency="EUR",
        valid_from=dt.date(2026, 1, 1),
        created_by=cast.pete,
    )


@pytest.mark.parametrize("who", ["alice", "bob", "aud"])
def test_the_rate_card_page_hides_cost_rates_from_the_client(
    cast: Cast, client_for: Any, line: RateCardLine, who: str
) -> None:
    page = client_for(who).get("/rate-cards/")
    text = page.content.decode()
    assert page.status_code == 200 and "88.00" in text
    assert "53.29" not in text and "53,29" not in text and "Cost rate" not in text


@pytest.mark.parametrize("who", ["alice", "bob", "aud"])
def test_the_api_hides_cost_rates_from_the_client(
    cast: Cast,
    call: Call,  # noqa: F811
    line: RateCardLine,
    who: str,
) -> None:
    answer = call("GET", "/api/rate-cards", who)
    assert answer.status_code == 200
    items = {item["id"]: item for item in answer.json()["items"]}
    assert items[line.pk]["bill_rate"] == "88.00"
    assert items[line.pk]["cost_rate"] is None
    assert "53.29" not in answer.content.decode()


def test_the_provider_still_sees_its_cost_rates(
    cast: Cast,
    call: Call,  # noqa: F811
    client_for: Any,
    line: RateCardLine,
) -> None:
    Membership.objects.create(organisation=cast.provider_p, user=cast.erin, role="auditor")
    for who in ("pete", "erin"):
        assert "53.29" in client_for(who).get("/rate-cards/").content.decode()
        items = {item["id"]: item for item in call("GET", "/api/rate-cards", who).json()["items"]}
        assert items[line.pk]["cost_rate"] == "53.29"


def test_an_expert_profile_hides_the_cost_rate_from_the_client(
    cast: Cast,
    call: Call,  # noqa: F811
    client_for: Any,
) -> None:
    expert = cast.carol.expert_profile
    assert call("GET", f"/api/experts/{expert.pk}", "alice").json()["cost_rate"] is None
    assert call("GET", f"/api/experts/{expert.pk}", "pete").json()["cost_rate"] is not None
