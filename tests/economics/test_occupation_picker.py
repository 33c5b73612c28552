"""Make-or-buy's occupation picker: the ESCO occupations the SOC mapping can price, by preferred label."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from importlib.resources import files

import pytest
from django.test import Client
from django.urls import reverse

from kpo.economics.make_or_buy.selectors import priceable_occupations
from kpo.engine.costing import load_reference_data
from tests.economics.test_pages import DEMO

pytestmark = pytest.mark.django_db

INDUSTRIAL_ENGINEER = "http://data.europa.eu/esco/occupation/53d2052f-edc0-4f44-8be1-164526412bfe"


def _preferred_labels() -> dict[str, str]:
    text = files("kpo").joinpath("data", "esco_occupations.csv").read_text(encoding="utf-8")
    return {row["id"]: row["preferred_label"] for row in csv.DictReader(text.splitlines())}


def test_the_picker_lists_every_mapped_esco_occupation_by_its_preferred_label() -> None:
    mapped = {m.key for m in load_reference_data().mappings.values() if m.kind == "esco"}
    preferred = _preferred_labels()
    listed = priceable_occupations()
    assert {uri for uri, _label in listed} == mapped
    assert all(label == preferred[uri] for uri, label in listed)
    assert (INDUSTRIAL_ENGINEER, "industrial engineer") in listed


def test_the_page_offers_occupations_not_domains(client_for: Callable[[str], Client]) -> None:
    body = client_for("alice").get(reverse("make_or_buy")).content.decode()
    options = re.findall(r'<option value="([^"]*)"></option>', body.split('id="esco-occupations"', 1)[1])
    assert "industrial engineer" in options and "financial analyst" in options
    assert "management_consulting" not in options and 'name="soc_code"' not in body
    assert 'list="esco-occupations"' in body


def test_a_picked_label_prices_its_esco_occupation(client_for: Callable[[str], Client]) -> None:
    response = client_for("alice").post(
        reverse("make_or_buy"), {**DEMO, "occupation": "Industrial  Engineer"}
    )
    assert response.status_code == 200
    assert response.context["result"]["need"]["occupation"] == INDUSTRIAL_ENGINEER


def test_older_scenarios_keep_their_soc_code_or_domain(client_for: Callable[[str], Client]) -> None:
    for occupation in ("17-2112", "management_consulting"):
        response = client_for("alice").post(reverse("make_or_buy"), {**DEMO, "occupation": occupation})
        assert response.status_code == 200, occupation
        assert response.context["result"]["need"]["occupation"] == occupation


def test_the_api_reference_lists_the_esco_occupations(client_for: Callable[[str], Client]) -> None:
    body = client_for("alice").get("/api/make-or-buy/reference").json()
    assert {"code": INDUSTRIAL_ENGINEER, "name": "industrial engineer"} in body["esco_occupations"]
    assert body["occupations"] and body["domains"]  # unchanged for existing clients
