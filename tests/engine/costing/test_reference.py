"""The shipped reference tables: complete, consistent, small, and cited in SOURCES.md."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

from kpo.engine.costing import MINOR_UNITS, load_reference_data
from kpo.engine.costing.reference import FILES
from kpo.engine.taxonomy import Domain


def test_oews_national_table() -> None:
    data = load_reference_data()
    assert len(data.oews) == 1104
    total = data.oews["00-0000"]
    assert (total.mean_hourly, total.median_hourly) == (Decimal("33.54"), Decimal("24.51"))
    assert all(occ.mean_hourly > 0 and occ.median_hourly > 0 for occ in data.oews.values())


def test_every_domain_maps_to_known_soc_codes_with_weights_summing_to_one() -> None:
    data = load_reference_data()
    assert {d.value for d in Domain} <= set(data.mappings)
    for mapping in data.mappings.values():
        assert sum(s.weight for s in mapping.socs) == 1, mapping.key
        assert all(s.soc in data.oews for s in mapping.socs), mapping.key


def test_countries_rates_and_earnings_fit_together() -> None:
    data = load_reference_data()
    assert set(data.ilo) <= set(data.countries)
    assert {c: data.countries[c].currency for c in ("DK", "PL", "IN", "PH", "US")} == {
        "DK": "DKK",
        "PL": "PLN",
        "IN": "INR",
        "PH": "PHP",
        "US": "USD",
    }
    assert data.rates.quoted <= set(MINOR_UNITS)
    assert data.ppp["US"][2024] == 1


def test_files_are_small_and_cited() -> None:
    folder = files("kpo").joinpath("data")
    sizes = {name: len(folder.joinpath(name).read_bytes()) for name in FILES.values()}
    assert max(sizes.values()) < 120_000, sizes
    assert sum(sizes.values()) < 300_000, sizes
    sources = folder.joinpath("SOURCES.md").read_text(encoding="utf-8")
    assert all(name in sources for name in FILES.values())
