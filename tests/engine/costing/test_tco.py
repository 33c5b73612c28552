"""Make-or-buy model: hand-computed cases, break-even, conversion of inputs, bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from decimal import Decimal
from typing import Any

import pytest

from kpo.engine.costing import (
    Assumptions,
    CostingInputError,
    Money,
    Need,
    Sourcing,
    SourcingOption,
    compare,
    describe_assumptions,
)


def eur(value: str | int) -> Money:
    return Money(Decimal(value), "EUR")


def zero(**changes: Any) -> Assumptions:
    """Every assumption zero (no overheads at all), then ``changes``."""
    values: dict[str, Any] = {
        spec.name: Decimal(0) for spec in fields(Assumptions) if spec.metadata["kind"] != "money"
    }
    values["captive_setup_cost"] = eur(0)
    values["communication_cap"] = Decimal(1)  # a bound, not an overhead: zero would silence communication
    values.update(changes)
    return Assumptions(**values)


def hand_assumptions(**changes: Any) -> Assumptions:
    """The assumptions of the hand-computed nearshore-against-in-house case, then ``changes``."""
    return zero(
        paid_absence_share=Decimal("0.2"),
        rework_in_house=Decimal("0.25"),
        recruitment_share=Decimal("0.2"),
        attrition_in_house=Decimal("0.1"),
        ramp_up_months=Decimal(3),
        ramp_up_productivity=Decimal("0.5"),
        management_share=Decimal("0.1"),
        communication_base=Decimal("0.04"),
        rework_nearshore=Decimal("0.1"),
        transition_months_nearshore=Decimal(2),
        knowledge_transfer_share=Decimal("0.2"),
        governance_nearshore=Decimal("0.06"),
        communication_per_timezone_hour=Decimal("0.01"),
        communication_per_language_step=Decimal("0.03"),
        **changes,
    )


NEED = Need("17-2112", Decimal(1200), 12, "EUR", client_hourly_cost=eur(100))  # 100 h a month
HAND_OPTIONS = [
    SourcingOption(Sourcing.IN_HOUSE, "DK", eur(80)),
    SourcingOption(Sourcing.NEARSHORE, "PL", eur(40), timezone_gap_hours=Decimal(1), language_distance=1),
]


def test_communication_is_bounded_by_its_cap() -> None:
    far = SourcingOption(
        Sourcing.OFFSHORE, "IN", eur(40), timezone_gap_hours=Decimal(12), language_distance=2
    )
    capped = compare(NEED, [far], hand_assumptions(communication_cap=Decimal("0.15"))).results[0]
    # 0.04 + 12 x 0.01 + 2 x 0.03 = 0.22 of the 100 work hours a month (no offshore rework here), capped at
    # 0.15: 15 h x EUR 100 x 12 months
    assert capped.components["communication"] == eur(18_000)
    assert "15.0 %" in capped.explained["communication"].english()


def test_labour_only_is_hours_times_rate() -> None:
    option = SourcingOption(Sourcing.ONSHORE, "DK", eur(100))
    result = compare(NEED, [option], zero()).results[0]
    assert result.total == eur(120_000)  # 1,200 h x EUR 100
    assert result.cost_per_delivered_hour == eur(100)
    assert result.monthly == (eur(10_000),) * 12


def test_in_house_by_hand() -> None:
    a = zero(
        paid_absence_share=Decimal("0.2"),
        rework_in_house=Decimal("0.25"),
        recruitment_share=Decimal("0.2"),
        attrition_in_house=Decimal("0.1"),
        ramp_up_months=Decimal(3),
        ramp_up_productivity=Decimal("0.5"),
        management_share=Decimal("0.1"),
        communication_base=Decimal("0.04"),
    )
    result = compare(NEED, [SourcingOption(Sourcing.IN_HOUSE, "DK", eur(80))], a).results[0]
    # work = 100 h x 1.25 = 125 h/month; paid = 125 / (1 - 0.2) = 156.25 h; labour = 156.25 x 80 = 12,500
    # of which rework 12,500 - 12,500 / 1.25 = 2,500, so labour 10,000 a month
    assert result.components["labour"] == eur(120_000)
    assert result.components["rework"] == eur(30_000)
    # recruitment: 0.2 x 12 x 12,500 = 30,000 in month 1, plus leavers 12,500 x 0.1 x 0.2 = 250 a month
    assert result.components["recruitment"] == eur(33_000)
    # ramp-up: 3 months x 12,500 x (1 - 0.5) = 18,750, plus leavers 12,500 x 0.1/12 x 3 x 0.5 = 156.25 a month
    assert result.components["ramp_up"] == eur(20_625)
    # management: 125 h x 0.1 x EUR 100 = 1,250 a month; communication: 125 h x 0.04 x 100 = 500 a month
    assert result.components["management"] == eur(15_000)
    assert result.components["communication"] == eur(6_000)
    assert result.total == eur(224_625)
    assert result.cost_per_delivered_hour == Money(Decimal("187.19"), "EUR")  # 224,625 / 1,200 = 187.1875
    # month 1: 10,000 + 2,500 + 30,250 + 6,250 + 156.25 + 1,250 + 500
    assert result.monthly[0] == Money(Decimal("50906.25"), "EUR")


def test_nearshore_against_in_house_by_hand() -> None:
    a = hand_assumptions()
    options = HAND_OPTIONS
    comparison = compare(NEED, options, a)
    near = comparison.results[1]
    # work = 110 h/month; billed labour = 110 x 40 = 4,400 (rework 400)
    assert near.components["labour"] == eur(48_000)
    assert near.components["rework"] == eur(4_800)
    # transition, months 1-2: 4,400 x 0.5 paid while learning + 100 h x 0.2 x EUR 100 client time = 4,200
    assert near.components["transition"] == eur(8_400)
    # governance: 6 % of 4,400 = 264 a month
    assert near.components["governance"] == eur(3_168)
    # communication: (0.04 + 0.01 x 1 h + 0.03 x 1 step) x 110 h x EUR 100 = 880 a month
    assert near.components["communication"] == eur(10_560)
    assert near.total == eur(74_928)
    assert near.savings_vs_in_house == eur(224_625 - 74_928)
    assert near.savings_share == Decimal("0.6664")  # 149,697 / 224,625
    assert near.break_even_month == 1
    assert comparison.baseline is comparison.results[0]
    assert comparison.cheapest() is near


def test_captive_break_even_month_by_hand() -> None:
    options = [
        SourcingOption(Sourcing.IN_HOUSE, "DK", eur(80)),
        SourcingOption(Sourcing.CAPTIVE, "PH", eur(20), setup_cost=eur(50_000)),
    ]
    comparison = compare(NEED, options, zero())
    captive = comparison.results[1]
    # in-house: 8,000 a month; captive: 50,000 set-up + 2,000 a month.
    # month 8: 66,000 > 64,000; month 9: 68,000 <= 72,000 -> break-even in month 9
    assert captive.cumulative[7] == eur(66_000)
    assert comparison.results[0].cumulative[7] == eur(64_000)
    assert captive.break_even_month == 9
    assert captive.total == eur(74_000)
    assert captive.savings_vs_in_house == eur(22_000)


def test_captive_that_never_pays_back_has_no_break_even() -> None:
    short = Need("17-2112", Decimal(1200), 6, "EUR", client_hourly_cost=eur(100))
    options = [
        SourcingOption(Sourcing.IN_HOUSE, "DK", eur(80)),
        SourcingOption(Sourcing.CAPTIVE, "PH", eur(20), setup_cost=eur(50_000)),
    ]
    captive = compare(short, options, zero()).results[1]
    assert captive.break_even_month is None
    assert captive.savings_vs_in_house == eur(48_000 - 62_000)


def test_one_off_need_pays_notice_at_the_end() -> None:
    one_off = Need("17-2112", Decimal(1200), 12, "EUR", recurring=False, client_hourly_cost=eur(100))
    result = compare(
        one_off, [SourcingOption(Sourcing.IN_HOUSE, "DK", eur(80))], zero(exit_months=Decimal(3))
    ).results[0]
    assert result.components["exit"] == eur(24_000)  # 3 months x 8,000
    assert result.monthly[-1] == eur(32_000)
    assert result.total == eur(120_000)


def test_fractional_transition_is_spread_over_months() -> None:
    a = zero(transition_months_offshore=Decimal("1.5"), ramp_up_productivity=Decimal("0.5"))
    result = compare(NEED, [SourcingOption(Sourcing.OFFSHORE, "IN", eur(10))], a).results[0]
    # labour 1,000 a month; transition 1,000 x 0.5 in month 1 and half of that in month 2
    assert result.monthly[0] == eur(1_500)
    assert result.monthly[1] == eur(1_250)
    assert result.components["transition"] == eur(750)


def test_money_in_other_currencies_is_converted_with_dated_rates() -> None:
    need = Need("17-2112", Decimal(1200), 12, "DKK")
    options = [
        SourcingOption(Sourcing.IN_HOUSE, "DK", Money.of("350", "DKK")),
        SourcingOption(Sourcing.OFFSHORE, "IN", Money.of("2000", "INR"), cost_source="provider rate card"),
    ]
    comparison = compare(need, options, zero())
    # ECB 2026-10-30: 7.4735 DKK and 106.084 INR per EUR; 1,200 h x 2,000 INR x 7.4735 / 106.084
    offshore = comparison.results[1]
    expected = Decimal(100) * Decimal(2000) * Decimal("7.4735") / Decimal("106.084")
    assert offshore.monthly[0] == Money(expected, "DKK").rounded()
    assert [c.basis for c in comparison.conversions] == ["2026-10-30"]


def test_defaults_are_documented() -> None:
    described = describe_assumptions(Assumptions())
    assert len(described) == len(fields(Assumptions))
    assert all(why for _, _, why in described)
    assert Assumptions().captive_setup_cost == eur(150_000)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Need("17-2112", Decimal(-1), 12, "EUR"), "need.hours_per_year"),
        (lambda: Need("17-2112", Decimal(0), 12, "EUR"), "need.hours_per_year"),
        (lambda: Need("17-2112", 1.5, 12, "EUR"), "need.hours_per_year"),  # type: ignore[arg-type]
        (lambda: Need("17-2112", Decimal(100), 0, "EUR"), "need.months"),
        (lambda: Need("17-2112", Decimal(100), 12, ""), "need.currency"),
        (lambda: Need("17-2112", Decimal(100), 12, "XYZ"), "need.currency"),
        (lambda: SourcingOption("outsourced", "IN", eur(1)), "option.sourcing"),  # type: ignore[arg-type]
        (lambda: SourcingOption(Sourcing.OFFSHORE, "IN", Decimal(10)), "option.hourly_cost"),  # type: ignore[arg-type]
        (lambda: SourcingOption(Sourcing.OFFSHORE, "IN", eur(-1)), "option.hourly_cost"),
        (lambda: Assumptions(idle_share=Decimal(1)), "assumptions.idle_share"),
        (lambda: Assumptions(recruitment_share=Decimal("-0.1")), "assumptions.recruitment_share"),
        (lambda: compare(NEED, []), "options"),
        (
            lambda: compare(
                Need("x", Decimal(1), 1, "EUR"), [SourcingOption(Sourcing.OFFSHORE, "IN", eur(1))]
            ),
            "need.client_hourly_cost",
        ),
    ],
)
def test_bad_input_names_the_field(build: Any, field: str) -> None:
    with pytest.raises(CostingInputError) as err:
        build()
    assert err.value.field == field


def test_captive_with_every_cost_line_by_hand() -> None:
    """A full captive option, every line computed by hand (and rounded half-even month by month)."""
    a = zero(
        paid_absence_share=Decimal("0.2"),
        idle_share=Decimal("0.2"),
        rework_captive=Decimal("0.1"),
        recruitment_share=Decimal("0.25"),
        attrition_captive=Decimal("0.2"),
        ramp_up_months=Decimal(3),
        ramp_up_productivity=Decimal("0.5"),
        transition_months_captive=Decimal(2),
        knowledge_transfer_share=Decimal("0.1"),
        governance_captive=Decimal("0.05"),
        communication_base=Decimal("0.02"),
        communication_per_timezone_hour=Decimal("0.01"),
        communication_per_language_step=Decimal("0.03"),
        captive_overhead_share=Decimal("0.3"),
    )
    # The set-up cost is quoted in DKK; the need is in EUR. ecb_rates.csv, row 2026-06-17: DKK 7.4749
    # per EUR, so DKK 224,247 = 224,247 / 7.4749 = EUR 30,000.00.
    captive = SourcingOption(
        Sourcing.CAPTIVE,
        "PH",
        eur(20),
        timezone_gap_hours=Decimal(4),
        language_distance=1,
        setup_cost=Money(Decimal(224_247), "DKK"),
    )
    comparison = compare(NEED, [captive], a, on=dt.date(2026, 6, 17))
    result = comparison.results[0]
    assert [c.basis for c in comparison.conversions] == ["2026-06-17"]
    # need 100 h a month; work = 100 x 1.1 rework = 110 h; paid = 110 / (0.8 x 0.8) = 171.875 h;
    # labour = 171.875 x EUR 20 = 3,437.50 a month, of which rework 3,437.50 - 3,437.50 / 1.1 = 312.50
    assert result.components["labour"] == eur(37_500)  # 12 x 3,125
    assert result.components["rework"] == eur(3_750)  # 12 x 312.50
    # recruitment: the first hire 3,437.50 x 12 x 0.25 = 10,312.50 in month 1, plus leavers
    # 3,437.50 x 0.2 x 0.25 = 171.875 every month: month 1 10,484.375 -> 10,484.38 (half-even),
    # months 2-12 171.875 -> 171.88; 10,484.38 + 11 x 171.88 = 12,375.06
    assert result.components["recruitment"] == Money(Decimal("12375.06"), "EUR")
    # ramp-up of replacements: 3,437.50 x 0.2 / 12 x 3 months x (1 - 0.5) = 85.9375 -> 85.94 a month
    assert result.components["ramp_up"] == Money(Decimal("1031.28"), "EUR")
    # transition, months 1-2: 3,437.50 x 0.5 paid while learning + 100 h x 0.1 x EUR 100 client time
    assert result.components["transition"] == Money(Decimal("5437.50"), "EUR")  # 2 x 2,718.75
    # governance 5 % of 3,437.50 = 171.875 -> 171.88 a month
    assert result.components["governance"] == Money(Decimal("2062.56"), "EUR")
    # communication (0.02 + 0.01 x 4 h + 0.03 x 1 step) x 110 h x EUR 100 = 990 a month
    assert result.components["communication"] == eur(11_880)
    assert result.components["setup"] == eur(30_000)
    assert result.components["site_overhead"] == eur(12_375)  # 30 % of 3,437.50 = 1,031.25 a month
    assert result.components["management"] == eur(0) and result.components["exit"] == eur(0)
    # 37,500 + 3,750 + 12,375.06 + 1,031.28 + 5,437.50 + 2,062.56 + 11,880 + 30,000 + 12,375
    assert result.total == Money(Decimal("116411.40"), "EUR")
    assert result.cost_per_delivered_hour == Money(Decimal("97.01"), "EUR")  # 116,411.40 / 1,200
    # month 1: 3,125 + 312.50 + 10,484.38 + 85.94 + 2,718.75 + 171.88 + 990 + 30,000 + 1,031.25
    assert result.monthly[0] == Money(Decimal("48919.70"), "EUR")
    assert sum((m.amount for m in result.monthly), Decimal(0)) == result.total.amount
