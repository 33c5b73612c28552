"""Money: Decimal amounts with a currency, ISO 4217 minor units, ROUND_HALF_EVEN."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpo.engine.costing import CostingInputError, Money, money_sum, quantum


def test_jpy_rounds_to_whole_yen_half_even() -> None:
    # ISO 4217 exponent of JPY is 0; halves go to the even neighbour.
    assert Money(Decimal("2.5"), "JPY").rounded().amount == Decimal("2")
    assert Money(Decimal("3.5"), "JPY").rounded().amount == Decimal("4")
    assert Money(Decimal("1234.49"), "JPY").rounded().amount == Decimal("1234")
    assert quantum("JPY") == Decimal("1")


def test_dkk_rounds_to_ore_half_even() -> None:
    assert Money(Decimal("0.125"), "DKK").rounded().amount == Decimal("0.12")
    assert Money(Decimal("0.135"), "DKK").rounded().amount == Decimal("0.14")
    assert Money(Decimal("-0.125"), "DKK").rounded().amount == Decimal("-0.12")
    assert str(Money(Decimal("1234567.005"), "DKK")) == "DKK 1,234,567.00"
    assert quantum("DKK") == Decimal("0.01")


def test_floats_are_refused() -> None:
    with pytest.raises(CostingInputError) as err:
        Money.of(0.1, "EUR")
    assert err.value.field == "amount"
    with pytest.raises(CostingInputError):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    assert Money.of("0.10", "EUR") == Money(Decimal("0.1"), "EUR")


def test_missing_and_unknown_currency_name_the_field() -> None:
    with pytest.raises(CostingInputError, match=r"^currency: missing currency") as err:
        Money(Decimal(1), "")
    assert err.value.field == "currency"
    with pytest.raises(CostingInputError, match=r"^rate\.currency: missing currency"):
        Money.of("10", None, field="rate")  # type: ignore[arg-type]
    with pytest.raises(CostingInputError, match="unknown or unsupported currency 'XYZ'"):
        Money(Decimal(1), "XYZ")
    assert Money(Decimal(1), "dkk").currency == "DKK"


def test_arithmetic_stays_within_one_currency() -> None:
    a = Money(Decimal("10.50"), "EUR")
    b = Money(Decimal("0.25"), "EUR")
    assert a + b == Money(Decimal("10.75"), "EUR")
    assert a - b == Money(Decimal("10.25"), "EUR")
    assert a * 2 == Money(Decimal("21.00"), "EUR")
    assert Decimal("0.5") * a == Money(Decimal("5.25"), "EUR")
    assert a / 3 == Money(Decimal("10.50") / 3, "EUR")
    assert a.ratio(b) == Decimal(42)
    assert b < a
    assert money_sum([a, b], "EUR") == Money(Decimal("10.75"), "EUR")
    assert money_sum([], "DKK") == Money.zero("DKK")
    with pytest.raises(CostingInputError, match="cannot add EUR and DKK"):
        _ = a + Money(Decimal(1), "DKK")
    with pytest.raises(CostingInputError):
        _ = a < Money(Decimal(1), "DKK")
