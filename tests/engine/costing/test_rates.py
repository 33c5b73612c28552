"""Dated conversions against specific rows of the shipped ECB table (kpo/data/ecb_rates.csv)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from kpo.engine.costing import CostingInputError, EcbRates, Money, convert, load_reference_data


@pytest.fixture(scope="module")
def rates() -> EcbRates:
    return load_reference_data().rates


def test_eur_to_dkk_on_a_published_day(rates: EcbRates) -> None:
    # ecb_rates.csv row 2026-10-30: DKK 7.4735 per EUR.
    result = convert(Money.of("100", "EUR"), "DKK", rates, on=dt.date(2026, 10, 30))
    assert result.result == Money(Decimal("747.35"), "DKK")
    assert result.rate == Decimal("7.4735")
    assert result.rate_date == dt.date(2026, 10, 30)
    assert result.note == "1 EUR = 7.4735 DKK (ECB reference rate of 2026-10-30)"


def test_a_weekend_uses_the_latest_rate_before_and_says_so(rates: EcbRates) -> None:
    # 2026-11-01 is a Sunday after the end of the table: Friday 2026-10-30 is used.
    result = convert(Money.of("100", "EUR"), "DKK", rates, on=dt.date(2026, 11, 1))
    assert result.rate_date == dt.date(2026, 10, 30)
    assert "the latest shipped on or before 2026-11-01" in result.note


def test_cross_rate_goes_through_the_euro(rates: EcbRates) -> None:
    # 2026-10-30: PLN 4.4038, DKK 7.4735 per EUR. 1000 PLN = 1000 * 7.4735 / 4.4038 DKK.
    result = convert(Money.of("1000", "PLN"), "DKK", rates, on=dt.date(2026, 10, 30))
    expected = (Decimal(1000) * Decimal("7.4735") / Decimal("4.4038")).quantize(
        Decimal("0.01"), ROUND_HALF_EVEN
    )
    assert expected == Decimal("1697.06")
    assert result.result == Money(expected, "DKK")
    # and on to yen, 0 decimals: 1000 PLN * 175.68 / 4.4038 = 39,892.82... -> 39,893
    yen = convert(Money.of("1000", "PLN"), "JPY", rates, on=dt.date(2026, 10, 30))
    assert yen.result == Money(Decimal("39893"), "JPY")


def test_month_end_rates_before_the_daily_window(rates: EcbRates) -> None:
    # Before the last year only the last business day of each month is shipped: 2019-02-28, USD 1.1416.
    result = convert(Money.of("1141.60", "USD"), "EUR", rates, on=dt.date(2019, 3, 15))
    assert result.rate_date == dt.date(2019, 2, 28)
    assert result.result == Money(Decimal("1000.00"), "EUR")
    assert "on or before 2019-03-15" in result.note


def test_annual_average(rates: EcbRates) -> None:
    # ecb_rates.csv row 2025: DKK 7.46339 per EUR (average of the 2025 daily rates).
    result = convert(Money.of("1000", "EUR"), "DKK", rates, year=2025)
    assert result.result == Money(Decimal("7463.39"), "DKK")
    assert result.basis == "2025 average"
    assert result.rate_date is None


def test_latest_rate_when_no_date_is_given(rates: EcbRates) -> None:
    result = convert(Money.of("1", "EUR"), "INR", rates)
    assert rates.latest_date == dt.date(2026, 10, 30)
    assert result.rate == Decimal("106.084")
    assert "the latest shipped" in result.note


def test_bgn_after_the_euro_changeover_says_which_day(rates: EcbRates) -> None:
    result = convert(Money.of("1.9558", "BGN"), "EUR", rates)
    assert result.rate_date == dt.date(2025, 12, 31)
    assert result.result == Money(Decimal("1.00"), "EUR")
    assert "the table runs to 2026-10-30" in result.note


def test_same_currency_is_only_rounded(rates: EcbRates) -> None:
    result = convert(Money.of("10.005", "DKK"), "DKK", rates)
    assert result.result == Money(Decimal("10.00"), "DKK")
    assert result.rate == 1


def test_bad_conversions_name_the_field(rates: EcbRates) -> None:
    with pytest.raises(CostingInputError) as err:
        convert(Money.of("1", "EUR"), "XYZ", rates)
    assert err.value.field == "to"
    with pytest.raises(CostingInputError) as err:
        convert(Money.of("1", "EUR"), "DKK", rates, on=dt.date(1990, 1, 1))
    assert err.value.field == "on"
    with pytest.raises(CostingInputError) as err:
        convert(Money.of("1", "EUR"), "DKK", rates, year=1990)
    assert err.value.field == "year"
    with pytest.raises(CostingInputError) as err:
        convert(Decimal(1), "DKK", rates)  # type: ignore[arg-type]
    assert err.value.field == "money"


# Rows of kpo/data/ecb_rates.csv read by hand (units per EUR):
#   2026-06-17: INR 109.5745, PHP 70.054          2026-06-19 (a Friday): USD 1.1467
#   2023-12-29 (the last business day of 2023, a month-end row): DKK 7.4529
#   2024 (annual average): INR 90.5563            2026-10-30: DKK 7.4735, GBP 0.8338


def test_rupees_to_pesos_on_a_mid_year_day(rates: EcbRates) -> None:
    # 1,000 INR x 70.054 / 109.5745 = 639.328... -> PHP 639.33
    result = convert(Money.of("1000", "INR"), "PHP", rates, on=dt.date(2026, 6, 17))
    assert result.result == Money(Decimal("639.33"), "PHP")
    assert result.rate_date == dt.date(2026, 6, 17)
    assert result.note.startswith("1 INR = 0.639328 PHP (ECB reference rate of 2026-06-17")


def test_a_saturday_uses_the_friday_rate(rates: EcbRates) -> None:
    result = convert(Money.of("100", "EUR"), "USD", rates, on=dt.date(2026, 6, 20))
    assert result.rate_date == dt.date(2026, 6, 19)
    assert result.result == Money(Decimal("114.67"), "USD")


def test_early_2024_uses_the_last_month_end_row_of_2023(rates: EcbRates) -> None:
    # only month-end rows before the daily window: 2024-01-15 falls back to 2023-12-29, DKK 7.4529
    result = convert(Money.of("1000", "DKK"), "EUR", rates, on=dt.date(2024, 1, 15))
    assert result.rate_date == dt.date(2023, 12, 29)
    assert result.result == Money(Decimal("134.18"), "EUR")  # 1,000 / 7.4529 = 134.1760...


def test_the_2024_average(rates: EcbRates) -> None:
    result = convert(Money.of("1000", "EUR"), "INR", rates, year=2024)
    assert result.result == Money(Decimal("90556.30"), "INR")


def test_cross_rate_dkk_to_pounds(rates: EcbRates) -> None:
    # DKK 250,000 x 0.8338 / 7.4735 = 27,891.88... -> GBP 27,891.88
    result = convert(Money.of("250000", "DKK"), "GBP", rates, on=dt.date(2026, 10, 30))
    assert result.result == Money(Decimal("27891.88"), "GBP")
