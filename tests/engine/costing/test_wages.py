"""Reference wage model: hand-computed cases, overrides, fallbacks, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from kpo.engine.costing import CostingInputError, Money, WageOverrides, estimate_hourly_cost
from kpo.engine.taxonomy import Domain

CENT = Decimal("0.01")
DAY = dt.date(2026, 10, 30)  # a row of the shipped ECB table


def test_us_returns_the_oews_mean_times_on_costs() -> None:
    # 15-2051 Data scientists, OEWS May 2025 mean hourly wage USD 60.96; US on-cost 1.23.
    # 60.96 * 1.23 = 74.9808 -> USD 74.98
    est = estimate_hourly_cost("15-2051", "US", "USD")
    assert est.amount == Money(Decimal("74.98"), "USD")
    assert est.wage == Money(Decimal("60.96"), "USD")
    assert est.fallbacks == ()
    assert est.conversion is not None and est.conversion.basis == "same currency"


def test_a_domain_is_the_weighted_mean_of_its_soc_codes() -> None:
    # data_analysis = 0.6 x 15-2051 (60.96) + 0.2 x 15-2041 (55.63) + 0.2 x 15-2031 (47.95)
    #              = 36.576 + 11.126 + 9.590 = 57.292; x 1.23 = 70.46916 -> 70.47
    est = estimate_hourly_cost(Domain.DATA_ANALYSIS, "USA", "USD")
    assert est.amount == Money(Decimal("70.47"), "USD")
    assert any("weighted mean" in item.name for item in est.inputs)


def test_denmark_by_hand() -> None:
    # 17-2112 Industrial engineers: W_US = 52.84 USD
    # ILO: Denmark 2023 4,857.23 and US 2023 5,334.39 (2021 PPP $)
    # hours: US 40, Denmark 37; PPP Denmark 2024: 6.05021 DKK per international $; on-cost 1.12
    wage = Decimal("52.84") * Decimal("4857.23") / Decimal("5334.39") * Decimal(40) / Decimal(37)
    wage = wage * Decimal("6.05021")  # = 314.70 DKK
    cost = (wage * Decimal("1.12")).quantize(CENT, ROUND_HALF_EVEN)  # = 352.46 DKK
    assert cost == Decimal("352.46")
    est = estimate_hourly_cost("17-2112", "DK", "DKK", on=DAY)
    assert est.amount == Money(cost, "DKK")
    assert est.wage == Money(Decimal("314.70"), "DKK")
    names = [item.name for item in est.inputs]
    assert "Average monthly earnings, Denmark, 2023 (2021 PPP $)" in names
    assert "PPP conversion factor, Denmark, 2024 (DKK per international $)" in names
    assert all(item.source for item in est.inputs)


def test_poland_in_euro_by_hand() -> None:
    # Poland 2023 2,586.89 vs US 2023 5,334.39; 40 h both; PPP 2024 1.94941 PLN/int$; on-cost 1.20
    # ECB 2026-10-30: 4.4038 PLN per EUR
    pln = Decimal("52.84") * Decimal("2586.89") / Decimal("5334.39") * Decimal("1.94941") * Decimal("1.20")
    eur = (pln / Decimal("4.4038")).quantize(CENT, ROUND_HALF_EVEN)
    est = estimate_hourly_cost("17-2112", "PL", "EUR", on=DAY)
    assert est.amount == Money(eur, "EUR")
    assert est.amount == Money(Decimal("13.61"), "EUR")
    assert est.conversion is not None and est.conversion.rate_date == DAY


def test_client_salary_overrides_the_model() -> None:
    # DKK 50,000 a month at 37 h/week: 50,000 * 12 / (37 * 52) = 311.8503 DKK/h; x 1.12 = 349.27
    over = WageOverrides(monthly_salary=Money.of("50000", "DKK"), source="client payroll 2026")
    est = estimate_hourly_cost("17-2112", "DK", "DKK", overrides=over)
    assert est.amount == Money(Decimal("349.27"), "DKK")
    assert est.basis == "client salary figure"
    assert any(item.source == "client payroll 2026" for item in est.inputs)


def test_rate_card_overrides_and_is_converted_half_even() -> None:
    # EUR 50 x 7.4735 = 373.675 -> half-even to 373.68 DKK
    over = WageOverrides(hourly_cost=Money.of("50", "EUR"), source="provider rate card")
    est = estimate_hourly_cost("17-2112", "PL", "DKK", overrides=over, on=DAY)
    assert est.amount == Money(Decimal("373.68"), "DKK")
    assert est.basis == "hourly cost override"


def test_country_without_ilo_data_uses_its_price_level_peers_and_says_so() -> None:
    est = estimate_hourly_cost("15-2051", "JP", "JPY")
    assert est.amount.amount > 0
    assert est.amount.amount == est.amount.amount.to_integral_value()  # yen: 0 decimals
    assert any("ILO has no earnings data for Japan" in note for note in est.fallbacks)
    assert any("No employer on-cost figure for Japan" in note for note in est.fallbacks)
    peers = next(item for item in est.inputs if item.name == "Price-level peers with ILO earnings")
    assert isinstance(peers.value, str) and peers.value.count(",") == 4  # five peers


def test_an_earlier_year_is_used_and_named() -> None:
    est = estimate_hourly_cost("15-2051", "DK", "DKK", year=2025)
    assert est.fallbacks == ("ILO has no 2025 earnings for Denmark; used 2023, the most recent earlier year",)
    early = estimate_hourly_cost("15-2051", "PH", "PHP", year=2005)
    assert any("used 2014, the earliest year available" in note for note in early.fallbacks)


def test_a_currency_without_ecb_rate_needs_an_override() -> None:
    with pytest.raises(CostingInputError, match="VND has no ECB reference rate") as err:
        estimate_hourly_cost("15-2051", "VN", "EUR")
    assert err.value.field == "country"
    over = WageOverrides(hourly_wage=Money.of("12", "EUR"))
    est = estimate_hourly_cost("15-2051", "VN", "EUR", overrides=over)
    assert est.amount == Money(Decimal("15.00"), "EUR")  # 12 x default on-cost 1.25
    assert est.fallbacks == ("No employer on-cost figure for Vietnam; used the default multiplier 1.25",)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"occupation": "99-9999"}, "occupation", "unknown SOC code '99-9999'"),
        ({"occupation": "astrology"}, "occupation", "unknown occupation 'astrology'"),
        ({"occupation": ""}, "occupation", "missing occupation"),
        ({"country": "XX"}, "country", "unknown country 'XX'"),
        ({"currency": "XYZ"}, "currency", "unknown or unsupported currency 'XYZ'"),
        ({"currency": ""}, "currency", "missing currency"),
        ({"year": 1800}, "year", "must be a year"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str, message: str) -> None:
    args: dict[str, object] = {"occupation": "15-2051", "country": "DK", "currency": "DKK", **kwargs}
    with pytest.raises(CostingInputError, match=message) as err:
        estimate_hourly_cost(**args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


def test_bad_overrides_name_the_field() -> None:
    with pytest.raises(CostingInputError) as err:
        WageOverrides(hourly_wage=Money.of("-1", "DKK"))
    assert err.value.field == "overrides.hourly_wage"
    with pytest.raises(CostingInputError) as err:
        WageOverrides(hourly_wage=Money.of("1", "DKK"), monthly_salary=Money.of("1", "DKK"))
    assert err.value.field == "overrides.monthly_salary"
    with pytest.raises(CostingInputError) as err:
        WageOverrides(weekly_hours=Decimal(-5))
    assert err.value.field == "overrides.weekly_hours"
