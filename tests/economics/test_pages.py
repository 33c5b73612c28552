"""The make-or-buy page, saved scenarios and who may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kpo.economics.make_or_buy.services.scenarios import scenario_create
from kpo.economics.models import MakeOrBuyScenario
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DEMO: dict[str, Any] = {
    "occupation": "industrial engineer",
    "hours_per_year": "1600",
    "months": "24",
    "recurring": "on",
    "currency": "DKK",
    "client_country": "DK",
    "use_nearshore": "on",
    "country_nearshore": "PL",
    "use_offshore": "on",
    "country_offshore": "IN",
    "use_captive": "on",
    "country_captive": "PH",
    "country_onshore": "DK",
    "action": "compare",
}


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_page_compares_for_client_admins_and_requesters(
    who: str, client_for: Callable[[str], Client]
) -> None:
    client = client_for(who)
    page = client.get(reverse("make_or_buy"))
    assert page.status_code == 200
    assert 'value="PL" selected' in page.content.decode()
    response = client.post(reverse("make_or_buy"), DEMO)
    assert response.status_code == 200
    body = response.content.decode()
    for label in (
        "In-house hire (Denmark)",
        "Nearshore third party (Poland)",
        "Offshore third party (India)",
        "Captive subsidiary (Philippines)",
    ):
        assert label in body
    assert "Recommendation" in body and "tornado-bar" in body
    assert "Save scenario" in body
    assert response.context["result"]["recommendation"]["reasons"]
    assert MakeOrBuyScenario.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "typed"),
    [
        ({"hours_per_year": "-5"}, "hours_per_year", "-5"),
        ({"occupation": "underwater basket weaving"}, "occupation", "underwater basket weaving"),
        ({"months": "0"}, "months", "0"),
    ],
)
def test_bad_input_re_renders_with_field_errors(
    change: dict[str, str], field: str, typed: str, client_for: Callable[[str], Client]
) -> None:
    response = client_for("alice").post(
        reverse("make_or_buy"), {**DEMO, **change, "action": "save", "name": "x"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert f'value="{typed}"' in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()
    assert response.context["result"] is None
    assert MakeOrBuyScenario.objects.count() == 0


def test_saving_stores_inputs_and_result(cast: Cast, client_for: Callable[[str], Client]) -> None:
    client = client_for("bob")
    response = client.post(reverse("make_or_buy"), {**DEMO, "action": "save", "name": "Gearbox analyst"})
    assert response.status_code == 302
    scenario = MakeOrBuyScenario.objects.get()
    assert response["Location"] == reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})
    assert scenario.client == cast.org_a and scenario.created_by == cast.bob
    assert scenario.name == "Gearbox analyst"
    assert (
        scenario.inputs["occupation"]
        == "http://data.europa.eu/esco/occupation/53d2052f-edc0-4f44-8be1-164526412bfe"
    )
    assert scenario.inputs["options"] == [["nearshore", "PL"], ["offshore", "IN"], ["captive", "PH"]]
    assert [row["sourcing"] for row in scenario.result["options"]] == [
        "in_house",
        "nearshore",
        "offshore",
        "captive",
    ]
    assert scenario.result["recommendation"]["text"] and scenario.result["tornado"]
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "Gearbox analyst" in detail.content.decode()
    assert "tornado-bar" in detail.content.decode()
    listing = client_for("alice").get(reverse("make_or_buy")).content.decode()
    assert "Gearbox analyst" in listing


def test_saving_without_a_name_saves_nothing(client_for: Callable[[str], Client]) -> None:
    response = client_for("alice").post(reverse("make_or_buy"), {**DEMO, "action": "save", "name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors.get("name")
    assert MakeOrBuyScenario.objects.count() == 0


def test_outsiders_get_404(cast: Cast, client_for: Callable[[str], Client]) -> None:
    scenario = scenario_create(
        user=cast.alice,
        client=cast.org_a,
        name="A's plan",
        occupation="17-2112",
        hours_per_year="1600",
        months="24",
        currency="DKK",
        client_country="DK",
        options=[("offshore", "IN")],
    )
    url = reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})
    for who in ("dave", "pete", "aud"):
        assert client_for(who).get(url).status_code == 404
    assert client_for("dave").get(reverse("make_or_buy")).status_code == 200  # his own client's page
    assert "A&#x27;s plan" not in client_for("dave").get(reverse("make_or_buy")).content.decode()
    assert client_for("pete").get(reverse("make_or_buy")).status_code == 404
    assert client_for("alice").get(url).status_code == 200


def test_scenario_create_refuses_other_clients(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        scenario_create(
            user=cast.dave,
            client=cast.org_a,
            name="x",
            occupation="17-2112",
            hours_per_year="1600",
            months="24",
            currency="DKK",
            client_country="DK",
            options=[("offshore", "IN")],
        )
    assert "client" in caught.value.message_dict
    assert MakeOrBuyScenario.objects.count() == 0
