"""Reads for make-or-buy: the reference data behind the form's choices, and a saved scenario's inputs."""

from __future__ import annotations

from typing import Any

from kpo.core.validators import country_name
from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.costing import load_reference_data
from kpo.experts.models import EscoOccupation


def country_choices() -> list[tuple[str, str]]:
    """The countries the model can price, named and sorted in the active language."""
    codes = {country.iso2 for country in load_reference_data().countries.values()}
    return sorted(((code, country_name(code)) for code in codes), key=lambda item: item[1].casefold())


def priceable_occupations() -> list[tuple[str, str]]:
    """(URI, preferred label) of the ESCO occupations the SOC mapping can price, by label."""
    mapped = {m.key: m.label for m in load_reference_data().mappings.values() if m.kind == "esco"}
    labels = dict(EscoOccupation.objects.filter(uri__in=mapped).values_list("uri", "label"))
    named = [(uri, labels.get(uri, label)) for uri, label in mapped.items()]
    return sorted(named, key=lambda item: item[1].casefold())


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
