"""Tornado sensitivity, the recommendation, and properties of the cost model."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.costing import (
    Assumptions,
    Money,
    Need,
    Sourcing,
    SourcingOption,
    compare,
    estimate_hourly_cost,
    money_sum,
    option_from_estimate,
    recommend,
    sensitivity,
)
from tests.engine.costing.test_tco import HAND_OPTIONS, NEED, eur, hand_assumptions, zero

HAND = hand_assumptions(min_savings_share=Decimal("0.10"))
OPTIONS = HAND_OPTIONS


def test_tornado_bar_for_the_provider_price_by_hand() -> None:
    bars = sensitivity(NEED, OPTIONS, HAND, spread=Decimal("0.2"))
    bar = next(b for b in bars if b.input == "options[1].hourly_cost")
    # The nearshore lines that scale with its price: labour 48,000 + rework 4,800 + the provider half of
    # transition 2 x 2,200 + governance 3,168 = 60,368. +-20 % of that is +-12,073.60 on a total of 74,928.
    assert bar.low_total == Money(Decimal("62854.40"), "EUR")
    assert bar.high_total == Money(Decimal("87001.60"), "EUR")
    assert bar.low_savings == Money(Decimal("224625") - Decimal("62854.40"), "EUR")
    assert bar.high_savings == Money(Decimal("224625") - Decimal("87001.60"), "EUR")
    assert bar.swing == Money(Decimal("24147.20"), "EUR")
    assert bar.low_value == eur(32) and bar.high_value == eur(48)


def test_tornado_is_sorted_by_swing_and_skips_zero_inputs() -> None:
    bars = sensitivity(NEED, OPTIONS, HAND)
    swings = [bar.swing.amount for bar in bars]
    assert swings == sorted(swings, reverse=True)
    assert bars[0].input == "options[0].hourly_cost"  # the in-house cost moves the savings most
    inputs = {bar.input for bar in bars}
    assert "assumptions.governance_offshore" not in inputs  # zero in HAND: cannot swing
    assert "assumptions.vendor_markup" not in inputs  # not used by compare()


def test_recommendation_explains_itself() -> None:
    comparison = compare(NEED, OPTIONS, HAND)
    bars = sensitivity(NEED, OPTIONS, HAND)
    rec = recommend(comparison, bars)
    reasons = [reason.english() for reason in rec.reasons]
    assert rec.option == Sourcing.NEARSHORE
    assert reasons[0] == (
        "Nearshore third party (PL) saves EUR 149,697.00 (66.6 %) against in-house over 12 months: "
        "EUR 74,928.00 against EUR 224,625.00."
    )
    assert "It is cheaper than in-house from the first month." in reasons
    assert any("most sensitive to In-house hire (DK): hourly cost" in r for r in reasons)
    texts = " ".join(reasons + [caveat.english() for caveat in rec.caveats])
    assert "options[" not in texts and "assumptions." not in texts  # no code identifiers
    assert "Recommendation: Nearshore third party (PL)." in rec.text()


def test_small_savings_keep_the_work_in_house() -> None:
    strict = Assumptions(**{**HAND.__dict__, "min_savings_share": Decimal("0.9")})
    rec = recommend(compare(NEED, OPTIONS, strict))
    assert rec.option == Sourcing.IN_HOUSE
    assert "below the 90.0 % needed" in rec.reasons[0].english()


def test_without_in_house_the_cheapest_wins() -> None:
    options = [
        SourcingOption(Sourcing.OFFSHORE, "IN", eur(20)),
        SourcingOption(Sourcing.ONSHORE, "DK", eur(90)),
    ]
    comparison = compare(NEED, options, zero())
    assert comparison.baseline is None
    rec = recommend(comparison)
    assert rec.option == Sourcing.OFFSHORE
    assert all(r.savings_vs_in_house is None for r in comparison.results)


def test_demo_manufacturer_from_the_shipped_data() -> None:
    """Production-efficiency analyst, 1,600 h a year for 2 years, priced in DKK from the shipped tables."""
    need = Need("17-2112", Decimal(1600), 24, "DKK", label="production-efficiency analyst")
    options = [
        option_from_estimate(kind, estimate_hourly_cost("17-2112", country, "DKK"), client_country="DK")
        for kind, country in (
            (Sourcing.IN_HOUSE, "DK"),
            (Sourcing.NEARSHORE, "PL"),
            (Sourcing.OFFSHORE, "IN"),
            (Sourcing.CAPTIVE, "PH"),
        )
    ]
    assert [o.timezone_gap_hours for o in options] == [0, 0, Decimal("4.5"), 7]
    assert [o.language_distance for o in options] == [0, 1, 1, 1]
    comparison = compare(need, options)
    assert all(r.total.amount > 0 and r.total.currency == "DKK" for r in comparison.results)
    captive = comparison.by_sourcing(Sourcing.CAPTIVE)
    assert captive.components["setup"] == Money(Decimal("1121025.00"), "DKK")  # EUR 150,000 x 7.4735
    rec = recommend(comparison, sensitivity(need, options))
    assert rec.option in set(Sourcing)
    assert rec.reasons


@settings(max_examples=60, deadline=None)
@given(
    hours=st.integers(min_value=1, max_value=20_000),
    extra=st.integers(min_value=1, max_value=5_000),
    months=st.integers(min_value=1, max_value=60),
    rate=st.decimals(min_value=1, max_value=2_000, places=2),
    sourcing=st.sampled_from(list(Sourcing)),
    recurring=st.booleans(),
)
def test_more_hours_cost_more_and_nothing_is_negative(
    hours: int, extra: int, months: int, rate: Decimal, sourcing: Sourcing, recurring: bool
) -> None:
    option = SourcingOption(
        sourcing, "PL", Money(rate, "EUR"), timezone_gap_hours=Decimal(1), language_distance=1
    )
    client = eur(75)
    small = Need("13-1111", Decimal(hours), months, "EUR", recurring=recurring, client_hourly_cost=client)
    large = Need(
        "13-1111", Decimal(hours + extra), months, "EUR", recurring=recurring, client_hourly_cost=client
    )
    low = compare(small, [option]).results[0]
    high = compare(large, [option]).results[0]
    assert high.total > low.total
    for result in (low, high):
        assert result.total.amount >= 0
        assert all(month.amount >= 0 for month in result.monthly)
        assert all(value.amount >= 0 for value in result.components.values())
        assert result.cost_per_delivered_hour.amount > 0
        assert result.total == money_sum(list(result.monthly), "EUR")
        assert result.total == money_sum(list(result.components.values()), "EUR")
