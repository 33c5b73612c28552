"""The make-or-buy page: every assumption editable and saved, reopening, the chart, the sources, deleting."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kpo.economics.make_or_buy.services.scenarios import scenario_create
from kpo.economics.models import CommercialTerms, MakeOrBuyScenario
from tests.cast import Cast
from tests.economics.test_pages import DEMO

pytestmark = pytest.mark.django_db


def _input_value(body: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    if match is None:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _save(client: Client, **changes: Any) -> MakeOrBuyScenario:
    response = client.post(reverse("make_or_buy"), {**DEMO, "action": "save", "name": "Plan", **changes})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return MakeOrBuyScenario.objects.latest("id")


def test_the_form_shows_every_assumption_at_its_default(client_for: Callable[[str], Client]) -> None:
    body = client_for("alice").get(reverse("make_or_buy")).content.decode()
    assert '<details class="mob-assumptions">' in body  # collapsed until asked for
    assert _input_value(body, "idle_share") == "10"  # 0.10 shown as 10 %
    assert _input_value(body, "paid_absence_share") == "14"
    assert _input_value(body, "manager_cost_ratio") == "1.3"
    assert _input_value(body, "transition_months_offshore") == "3"
    assert _input_value(body, "captive_setup_cost") == "150000"
    assert 'name="captive_setup_cost_currency"' in body
    for name in ("salary_in_house", "on_cost_in_house", "salary_captive", "rate_nearshore", "rate_offshore"):
        assert _input_value(body, name) == "", name  # blank: the reference model
    for label in ("Idle time (%)", "Recruitment cost (%)", "Governance, offshore (%)", "Rework, captive (%)"):
        assert label in body
    assert '<option value="industrial engineer"></option>' in body  # ESCO occupations


def test_edited_assumptions_and_own_figures_are_used_and_saved(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    client = client_for("alice")
    scenario = _save(
        client,
        idle_share="15",
        rework_offshore="12.5",
        captive_setup_cost="0",
        captive_setup_cost_currency="EUR",
        salary_in_house="52000",
        rate_offshore="310",
        salary_captive="",
    )
    stored = scenario.inputs
    assert stored["assumptions"]["idle_share"] == "0.15"
    assert stored["assumptions"]["rework_offshore"] == "0.125"
    assert stored["assumptions"]["captive_setup_cost"] == {"amount": "0", "currency": "EUR"}
    assert stored["assumptions"]["paid_absence_share"] == "0.14"  # untouched defaults are kept too
    assert stored["overrides"] == {"in_house": {"monthly_salary": "52000"}, "offshore": {"rate_card": "310"}}
    rows = {row["sourcing"]: row for row in scenario.result["options"]}
    assert rows["offshore"]["hourly_cost"] == "310.00"
    assert rows["offshore"]["cost_basis"] == "rate_card"
    assert rows["in_house"]["estimate"]["basis"] == "client salary figure"
    assert rows["captive"]["components"]["setup"] == "0.00"
    # 52,000 a month over 37 h x 52 / 12 weeks, x Denmark's on-cost 1.12
    hourly = (Decimal(52000) / (Decimal(37) * Decimal(52) / Decimal(12)) * Decimal("1.12")).quantize(
        Decimal("0.01")
    )
    assert rows["in_house"]["hourly_cost"] == str(hourly)

    detail = client.get(reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})).content.decode()
    assert detail.count('class="changed"') == 3  # idle time, rework offshore, set-up cost
    assert "Your own figures" in detail and "Rate card, per hour" in detail


def test_changing_an_assumption_changes_the_answer(client_for: Callable[[str], Client]) -> None:
    client = client_for("alice")
    base = client.post(reverse("make_or_buy"), DEMO).context["result"]
    dearer = client.post(reverse("make_or_buy"), {**DEMO, "recruitment_share": "40"}).context["result"]
    assert Decimal(dearer["options"][0]["total"]) > Decimal(base["options"][0]["total"])
    assert dearer["options"][1]["total"] == base["options"][1]["total"]  # third parties do not recruit
    assert dearer["assumptions"]["recruitment_share"] == "0.4"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"idle_share": "99"}, "idle_share"),
        ({"rework_offshore": "-1"}, "rework_offshore"),
        ({"ramp_up_productivity": "150"}, "ramp_up_productivity"),
        ({"transition_months_captive": "many"}, "transition_months_captive"),
        ({"on_cost_in_house": "0.5"}, "on_cost_in_house"),
        ({"rate_offshore": "0"}, "rate_offshore"),
        ({"captive_setup_cost_currency": "XYZ"}, "captive_setup_cost_currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"country_offshore": "XX"}, "country_offshore"),
        ({"hours_per_year": "-5"}, "hours_per_year"),
        ({"months": "121"}, "months"),
    ],
)
def test_bad_values_are_named_by_field_and_nothing_is_saved(
    change: dict[str, str], field: str, client_for: Callable[[str], Client]
) -> None:
    response = client_for("alice").post(
        reverse("make_or_buy"), {**DEMO, **change, "action": "save", "name": "x"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    body = response.content.decode()
    if field not in ("currency", "country_offshore", "hours_per_year", "months"):
        assert '<details class="mob-assumptions" open>' in body  # the error is not hidden
    assert not MakeOrBuyScenario.objects.exists()


def test_a_country_the_model_cannot_price_is_named_on_its_option(client_for: Callable[[str], Client]) -> None:
    # the UAE: no ILO earnings, and the ECB quotes no rate for the dirham, so no peer estimate either
    response = client_for("alice").post(reverse("make_or_buy"), {**DEMO, "country_offshore": "AE"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "ECB" in " ".join(errors["country_offshore"]), errors


def test_a_figure_for_an_option_not_compared_is_ignored(client_for: Callable[[str], Client]) -> None:
    response = client_for("alice").post(reverse("make_or_buy"), {**DEMO, "rate_onshore": "900"})
    assert response.status_code == 200
    assert "onshore" not in response.context["result"]["overrides"]


def test_the_chart_is_accessible_svg_with_a_table(client_for: Callable[[str], Client]) -> None:
    response = client_for("alice").post(reverse("make_or_buy"), DEMO)
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="tornado-svg-title tornado-svg-desc"' in svg
    assert '<title id="tornado-svg-title">Savings of Offshore third party (India) against in-house' in svg
    assert svg.count('class="tornado-row"') == 10
    assert svg.count("tornado-bar tornado-low") == 10 and svg.count("tornado-bar tornado-high") == 10
    chart = response.context["tornado"]
    rows = chart["rows"]
    # largest swing first, and each bar's two ends lie on opposite sides of the base line or on it
    swings = [abs(row["high"] - row["low"]) for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[0]["label"] == "In-house hire (Denmark): hourly cost"
    for row in rows:
        assert Decimal(chart["plot_left"]) <= row["low_x"] <= Decimal(chart["plot_right"])
        assert row["low_x"] + row["low_width"] <= Decimal(chart["plot_right"]) + 1
    table = body[body.index('<details class="tornado-table">') :]
    assert "Hours needed per year" in table and "1,600 hours" in table and "1,920 hours" in table


def test_sources_name_each_dataset_and_the_ecb_date(client_for: Callable[[str], Client]) -> None:
    body = client_for("alice").post(reverse("make_or_buy"), DEMO).content.decode()
    for text in (
        "Occupational Employment and Wage Statistics (OEWS), May 2025",
        "US mean hourly wage, 17-2112 Industrial Engineers: US$52.84",
        "ILOSTAT, average monthly earnings of employees in 2021 PPP $",
        "Average monthly earnings, Poland, 2023 (2021 PPP $): 2,586.89",
        "PA.NUS.PPP",
        "PPP conversion factor, India, 2024 (INR per international $)",
        "1 PLN = 1.69706 DKK (ECB reference rate of 2026-10-30, the latest shipped)",
        "No fallbacks: every input was found in the reference data.",
    ):
        assert text in body, text


def test_a_country_without_ilo_data_states_its_fallback(client_for: Callable[[str], Client]) -> None:
    body = (
        client_for("alice").post(reverse("make_or_buy"), {**DEMO, "country_offshore": "CN"}).content.decode()
    )
    assert "fallback used" in body
    assert "ILO has no earnings data for China; used the median earnings relative to the US" in body
    assert "Price-level peers with ILO earnings" in body


def test_duplicate_and_edit_reopens_and_recomputes(cast: Cast, client_for: Callable[[str], Client]) -> None:
    client = client_for("bob")
    scenario = _save(client, idle_share="12", rate_nearshore="400", use_captive="")
    response = client.get(reverse("make_or_buy") + f"?from={scenario.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reopened from the saved scenario" in body
    assert _input_value(body, "idle_share") == "12"
    assert _input_value(body, "rate_nearshore") == "400"
    assert _input_value(body, "occupation") == "industrial engineer"
    form = response.context["form"]
    assert form.data.get("use_captive") is None and form.data.get("use_offshore") == "on"
    shown = [(o["sourcing"], o["total"]) for o in response.context["result"]["options"]]
    assert shown == [(o["sourcing"], o["total"]) for o in scenario.result["options"]]  # the same answer
    assert client_for("dave").get(reverse("make_or_buy") + f"?from={scenario.pk}").status_code == 404


def test_deleting_a_scenario(cast: Cast, client_for: Callable[[str], Client]) -> None:
    scenario = _save(client_for("bob"))
    url = reverse("scenario_delete", kwargs={"scenario_id": scenario.pk})
    for who in ("dave", "pete", "aud"):
        assert client_for(who).post(url).status_code == 404
    assert client_for("alice").get(url).status_code == 405
    response = client_for("alice").post(url)
    assert response.status_code == 302 and response["Location"] == reverse("make_or_buy")
    assert not MakeOrBuyScenario.objects.exists()


def test_a_scenario_used_as_a_savings_baseline_is_kept(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    scenario = _save(client_for("alice"))
    CommercialTerms.objects.create(engagement=cast.engagement_a, scenario=scenario)
    response = client_for("alice").post(
        reverse("scenario_delete", kwargs={"scenario_id": scenario.pk}), follow=True
    )
    assert "in-house baseline of the realised savings" in response.content.decode()
    assert MakeOrBuyScenario.objects.filter(pk=scenario.pk).exists()


def test_dashboard_links_to_the_calculator(client_for: Callable[[str], Client]) -> None:
    assert 'id="make-or-buy"' in client_for("alice").get(reverse("dashboard")).content.decode()
    assert 'id="make-or-buy"' in client_for("bob").get(reverse("dashboard")).content.decode()
    for who in ("pete", "carol", "aud"):
        assert 'id="make-or-buy"' not in client_for(who).get(reverse("dashboard")).content.decode()


def test_older_and_empty_scenarios_still_render(cast: Cast, client_for: Callable[[str], Client]) -> None:
    saved = scenario_create(
        user=cast.alice,
        client=cast.org_a,
        name="Older",
        occupation="17-2112",
        hours_per_year="1600",
        months="12",
        currency="DKK",
        client_country="DK",
        options=[("offshore", "IN")],
    )
    older = saved.result
    for row in older["options"]:
        del row["estimate"]["input_rows"]  # saved before the inputs had their own columns
    for key in ("sources", "assumptions", "overrides", "tornado_target_sourcing"):
        del older[key]
    saved.result, saved.inputs = older, {k: v for k, v in saved.inputs.items() if k != "assumptions"}
    saved.save()
    client = client_for("alice")
    body = client.get(reverse("scenario_detail", kwargs={"scenario_id": saved.pk})).content.decode()
    assert "tornado-chart" in body and "US mean hourly wage" in body
    bare = MakeOrBuyScenario.objects.create(client=cast.org_a, created_by=cast.alice, name="Bare")
    assert client.get(reverse("scenario_detail", kwargs={"scenario_id": bare.pk})).status_code == 200
    assert client.get(reverse("make_or_buy") + f"?from={bare.pk}").status_code == 200


def test_estimate_inputs_and_sources_read_in_danish(client_for: Callable[[str], Client]) -> None:
    """A result computed in English reads in Danish: input names, figures, sources, exchange rates."""
    client = client_for("alice")
    scenario = _save(client)
    client.cookies["django_language"] = "da"
    body = client.get(reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})).content.decode()
    for text in (
        "Gennemsnitlig månedsindtjening, Polen, 2023 (2021 PPP $): 2.586,89",
        "PPP-omregningsfaktor, Indien, 2024 (INR pr. international $)",
        "1 PLN = 1,69706 DKK (ECB-referencekurs den 2026-10-30, den seneste medleverede)",
        "Normal ugentlig arbejdstid, Danmark",
        "kpo&#x27;s referencelønmodel",
    ):
        assert text in body, text
    assert "Average monthly earnings" not in body and "the latest shipped" not in body
