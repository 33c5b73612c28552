"""Reads for make-or-buy: the reference data behind the form's choices, and a saved scenario's inputs."""

from __future__ import annotations

from typing import Any

from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.costing import load_reference_data


def country_choices() -> list[tuple[str, str]]:
    countries = load_reference_data().countries.values()
    unique = {country.iso2: country.name for country in countries}
    return sorted(unique.items(), key=lambda item: item[1])


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(load_reference_data().rates.quoted)]


def knowledge_occupations() -> list[tuple[str, str]]:
    """Detailed SOC occupations of knowledge work (management, business and finance, computing,
    engineering, science, legal, health) for the SOC code field's suggestions."""
    oews = load_reference_data().oews
    groups = ("11-", "13-", "15-", "17-", "19-", "23-", "29-")
    return [
        (soc, occupation.title)
        for soc, occupation in sorted(oews.items())
        if occupation.level == "detailed" and soc.startswith(groups)
    ]


def scenario_inputs(scenario: MakeOrBuyScenario) -> dict[str, Any]:
    """A saved scenario's inputs as keyword arguments of
    :func:`kpo.economics.make_or_buy.services.comparison.make_or_buy` (to recompute it)."""
    inputs = scenario.inputs or {}
    return {
        "occupation": str(inputs.get("occupation", "")),
        "hours_per_year": inputs.get("hours_per_year", ""),
        "months": inputs.get("months", ""),
        "recurring": bool(inputs.get("recurring", True)),
        "currency": str(inputs.get("currency", "")),
        "client_country": str(inputs.get("client_country", "")),
        "options": [(str(pair[0]), str(pair[1])) for pair in inputs.get("options", []) if len(pair) == 2],
        "assumptions": dict(inputs.get("assumptions") or {}),
        "overrides": dict(inputs.get("overrides") or {}),
    }
