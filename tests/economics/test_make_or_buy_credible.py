"""The demo's production-efficiency scenario is priced from the providers' own rate cards, reads without
code identifiers in English and Danish, and draws its tornado chart with locale-independent numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.demo.accounts import DEMO_PASSWORD
from kpo.demo.seed import seed_demo
from kpo.economics.models import MakeOrBuyScenario

pytestmark = pytest.mark.django_db
CODE = re.compile(r"options\[\d|assumptions\.[a-z]|need\.[a-z]|[a-z]+_[a-z]+_[a-z]+")


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_production_efficiency_prices_india_from_the_indian_rate_card() -> None:
    seed_demo(now=timezone.now(), experts=200, seed=7)  # the default world: cards for its roles
    scenario = MakeOrBuyScenario.objects.get(name__startswith="Production-efficiency analysis")
    rows = {row["sourcing"]: row for row in scenario.result["options"]}
    offshore = rows["offshore"]
    assert offshore["cost_basis"] == "rate_card"
    assert "Indus Insight" in offshore["cost_source"]
    assert Decimal("250") < Decimal(offshore["hourly_cost"]) < Decimal("600")  # DKK, not the model's ~20
    assert rows["in_house"]["cost_basis"] == "model"
    lines = offshore["components"]
    assert Decimal(lines["communication"]) < Decimal(lines["labour"])
    caveats = " ".join(scenario.result["recommendation"]["caveats"])
    assert "lower-income" not in caveats

    browser = Client()
    assert browser.login(username="alice", password=DEMO_PASSWORD)
    url = reverse("scenario_detail", kwargs={"scenario_id": scenario.pk})
    english = browser.get(url).content.decode()
    assert "Offshore third party (India)" in english
    browser.cookies["django_language"] = "da"
    danish = browser.get(url, headers={"accept-language": "da"}).content.decode()
    assert "Ekstern leverandør offshore (Indien)" in danish
    for page in (english, danish):
        assert not CODE.search(_visible(page)), CODE.search(_visible(page))
    for number in re.findall(r'<rect class="tornado-bar[^>]*>', danish):
        assert "," not in number, number  # SVG attributes take a decimal point in every language
    assert "sparer" in danish or "billigste" in danish
