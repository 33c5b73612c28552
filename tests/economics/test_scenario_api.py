"""The make-or-buy API: compare, create, list, get, delete; bad input named by field; other tenants 404.

Every answer is checked against the OpenAPI schema by `call` (tests/api/conftest.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kpo.economics.make_or_buy.services.scenarios import scenario_create
from kpo.economics.models import MakeOrBuyScenario
from tests.api import conftest as api_fixtures
from tests.api.conftest import Call
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db

# the API tests' fixtures: `call` checks every answer against the OpenAPI schema
call = api_fixtures.call
token_for = api_fixtures.token_for

NEED: dict[str, Any] = {
    "occupation": "management_consulting",
    "hours_per_year": 1600,
    "months": 24,
    "currency": "DKK",
    "client_country": "DK",
    "options": [
        {"sourcing": "nearshore", "country": "PL"},
        {"sourcing": "offshore", "country": "IN"},
        {"sourcing": "captive", "country": "PH"},
    ],
}


def _fields(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _scenario_of_a(cast: Cast) -> MakeOrBuyScenario:
    return scenario_create(
        user=cast.alice,
        client=cast.org_a,
        name=f"{SECRET_A} plan",
        occupation="17-2112",
        hours_per_year="1600",
        months="12",
        currency="DKK",
        client_country="DK",
        options=[("offshore", "IN")],
    )


def test_create_get_list_delete(cast: Cast, call: Call) -> None:
    body = {
        **NEED,
        "client": cast.org_a.pk,
        "name": "Aalborg OEE analysts",
        "in_house": {"monthly_salary": "52000"},
        "assumptions": {"idle_share": "0.15", "captive_setup_cost": {"amount": "0", "currency": "EUR"}},
    }
    created = call("post", "/api/scenarios", "bob", json=body)
    assert created.status_code == 201, created.json()
    scenario = created.json()
    assert scenario["name"] == "Aalborg OEE analysts" and scenario["client"]["id"] == cast.org_a.pk
    assert scenario["inputs"]["assumptions"]["idle_share"] == "0.15"
    assert scenario["inputs"]["assumptions"]["paid_absence_share"] == "0.14"  # defaults are stored too
    assert scenario["inputs"]["overrides"] == {"in_house": {"monthly_salary": "52000"}}
    result = scenario["result"]
    assert [o["sourcing"] for o in result["options"]] == ["in_house", "nearshore", "offshore", "captive"]
    assert result["options"][0]["estimate"]["basis"] == "client salary figure"
    assert result["options"][3]["components"]["setup"] == "0.00"  # the captive exists already
    assert result["recommendation"]["reasons"] and result["tornado"]
    assert {source["key"] for source in result["sources"]} >= {"oews", "ilo", "ppp", "ecb"}

    got = call("get", f"/api/scenarios/{scenario['id']}", "alice")
    assert got.status_code == 200 and got.json()["result"] == result
    listed = call("get", "/api/scenarios", "alice").json()
    assert listed["count"] == 1 and listed["items"][0]["recommendation"] == result["recommendation"]["label"]

    assert call("delete", f"/api/scenarios/{scenario['id']}", "alice").status_code == 204
    assert not MakeOrBuyScenario.objects.exists()
    assert call("get", f"/api/scenarios/{scenario['id']}", "alice").status_code == 404


def test_compare_without_saving(call: Call) -> None:
    response = call("post", "/api/make-or-buy/compare", "alice", json=NEED)
    assert response.status_code == 200
    result = response.json()
    assert result["currency"] == "DKK" and result["recommendation"]["option"] == "offshore"
    assert result["conversions"] == [
        "1 EUR = 7.4735 DKK (ECB reference rate of 2026-10-30, the latest shipped)"
    ]
    assert not MakeOrBuyScenario.objects.exists()


def test_edited_assumptions_change_the_answer(call: Call) -> None:
    base = call("post", "/api/make-or-buy/compare", "alice", json=NEED).json()
    idle = call(
        "post", "/api/make-or-buy/compare", "alice", json={**NEED, "assumptions": {"idle_share": "0.3"}}
    ).json()
    # more idle time makes in-house dearer, the third parties are billed per hour worked and do not move
    assert Decimal(idle["options"][0]["total"]) > Decimal(base["options"][0]["total"])
    assert idle["options"][1]["total"] == base["options"][1]["total"]
    assert idle["assumptions"]["idle_share"] == "0.3"
    card = call(
        "post",
        "/api/make-or-buy/compare",
        "alice",
        json={**NEED, "options": [{"sourcing": "offshore", "country": "IN", "rate_card": "400"}]},
    ).json()
    offshore = card["options"][1]
    assert offshore["hourly_cost"] == "400.00" and offshore["cost_basis"] == "rate_card"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours_per_year": -5}, "hours_per_year"),
        ({"hours_per_year": 0}, "hours_per_year"),
        ({"months": 0}, "months"),
        ({"months": 121}, "months"),
        ({"occupation": "99-9999"}, "occupation"),
        ({"occupation": "underwater basket weaving"}, "occupation"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "AED"}, "currency"),  # ISO 4217, but the ECB quotes no rate for it
        ({"client_country": "XX"}, "client_country"),
        ({"options": []}, "options"),
        ({"options": [{"sourcing": "in_house", "country": "DK"}]}, "options.0.sourcing"),
        ({"options": [{"sourcing": "offshore", "country": "ZZ"}]}, "options.0.country"),
        (
            {
                "options": [
                    {"sourcing": "offshore", "country": "IN"},
                    {"sourcing": "offshore", "country": "PH"},
                ]
            },
            "options.1.sourcing",
        ),
        ({"options": [{"sourcing": "captive", "country": "PH", "rate_card": "10"}]}, "options.0.rate_card"),
        ({"options": [{"sourcing": "offshore", "country": "IN", "rate_card": "-1"}]}, "options.0.rate_card"),
        ({"in_house": {"monthly_salary": "0"}}, "in_house.monthly_salary"),
        ({"in_house": {"on_cost_multiplier": "0.5"}}, "in_house.on_cost_multiplier"),
        ({"assumptions": {"idle_share": "0.99"}}, "assumptions.idle_share"),
        ({"assumptions": {"recruitment_share": "-0.1"}}, "assumptions.recruitment_share"),
        (
            {"assumptions": {"captive_setup_cost": {"amount": "1", "currency": "AED"}}},
            "assumptions.captive_setup_cost",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(
    change: dict[str, Any], field: str, cast: Cast, call: Call
) -> None:
    body = {**NEED, **change, "client": cast.org_a.pk, "name": "bad"}
    response = call("post", "/api/scenarios", "alice", json=body)
    assert response.status_code == 422, response.json()
    fields = _fields(response)
    assert any(name == field or name.startswith(f"{field}.") for name in fields), fields
    assert all(fields.values())
    assert not MakeOrBuyScenario.objects.exists()


def test_a_country_without_ilo_data_says_which_fallback(call: Call) -> None:
    body = {**NEED, "options": [{"sourcing": "offshore", "country": "CN"}]}
    result = call("post", "/api/make-or-buy/compare", "alice", json=body).json()
    fallbacks = result["options"][1]["estimate"]["fallbacks"]
    assert any("ILO has no earnings data for China" in note and "price level" in note for note in fallbacks)


def test_others_get_404_and_cannot_save_for_client_a(cast: Cast, call: Call) -> None:
    scenario = _scenario_of_a(cast)
    for who in ("dave", "pete", "carol", "aud"):
        for method in ("get", "delete"):
            response = call(method, f"/api/scenarios/{scenario.pk}", who)
            assert response.status_code == 404, (who, method)
            assert SECRET_A not in response.content.decode()
        assert SECRET_A not in call("get", "/api/scenarios", who).content.decode()
    refused = call("post", "/api/scenarios", "dave", json={**NEED, "client": cast.org_a.pk, "name": "x"})
    assert refused.status_code == 422 and "client" in _fields(refused)
    assert call("post", "/api/make-or-buy/compare", "pete", json=NEED).status_code == 403
    assert call("get", "/api/scenarios", None).status_code == 401
    assert MakeOrBuyScenario.objects.count() == 1


def test_reference_lists_what_the_calculator_accepts(call: Call) -> None:
    reference = call("get", "/api/make-or-buy/reference", "carol").json()
    assert "DKK" in reference["currencies"] and "INR" in reference["currencies"]
    countries = {c["code"]: c for c in reference["countries"]}
    assert countries["IN"]["ilo_earnings"] is True and countries["CN"]["ilo_earnings"] is False
    assert {"code": "17-2112", "name": "Industrial Engineers"} in reference["occupations"]
    idle = next(a for a in reference["assumptions"] if a["name"] == "idle_share")
    assert idle == {
        "name": "idle_share",
        "kind": "share",
        "default": "0.1",
        "default_currency": None,
        "maximum": "0.95",
        "why": idle["why"],
    }
    setup = next(a for a in reference["assumptions"] if a["name"] == "captive_setup_cost")
    assert (setup["default"], setup["default_currency"]) == ("150000", "EUR")


def test_empty_result_reads_as_null(cast: Cast, call: Call) -> None:
    bare = MakeOrBuyScenario.objects.create(client=cast.org_a, created_by=cast.alice, name="bare", inputs={})
    response = call("get", f"/api/scenarios/{bare.pk}", "alice")
    assert response.status_code == 200 and response.json()["result"] is None
