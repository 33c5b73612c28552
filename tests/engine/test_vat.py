"""The VAT rule (domestic, reverse charge, outside the scope) and VAT number formats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpo.engine.vat import (
    EU_COUNTRIES,
    STANDARD_RATES,
    VatNumberProblem,
    VatTreatment,
    check_vat_number,
    vat_amount,
    vat_rule,
)


def test_danish_seller_and_buyer_pay_25_percent() -> None:
    rule = vat_rule("DK", "dk")
    assert rule.treatment == VatTreatment.DOMESTIC
    assert rule.rate == Decimal(25)


def test_eu_cross_border_is_reverse_charge_at_zero() -> None:
    for seller, buyer in (("PL", "DK"), ("DK", "DE"), ("GR", "FI")):
        rule = vat_rule(seller, buyer)
        assert rule.treatment == VatTreatment.REVERSE_CHARGE
        assert rule.rate == Decimal(0)


def test_outside_the_eu_is_outside_the_scope_at_zero() -> None:
    for seller, buyer in (("IN", "DK"), ("PH", "DK"), ("DK", "US"), ("GB", "GB"), ("NO", "DK")):
        rule = vat_rule(seller, buyer)
        assert rule.treatment == VatTreatment.OUTSIDE_SCOPE
        assert rule.rate == Decimal(0)


def test_every_eu_country_has_a_standard_rate() -> None:
    assert len(EU_COUNTRIES) == 27 and {"DK", "GR", "PL", "FI"} <= EU_COUNTRIES
    assert not {"GB", "NO", "CH", "IN", "PH", "EL"} & EU_COUNTRIES
    assert all(Decimal(15) <= rate <= Decimal(30) for rate in STANDARD_RATES.values())


def test_vat_amount_rounds_half_up_to_the_cent() -> None:
    assert vat_amount(Decimal("24.33"), Decimal(25)) == Decimal("6.08")  # 6.0825
    assert vat_amount(Decimal("0.02"), Decimal(25)) == Decimal("0.01")  # 0.005 -> half up
    assert vat_amount(Decimal("100.00"), Decimal(0)) == Decimal("0.00")


@pytest.mark.parametrize(
    ("raw", "country", "normalised"),
    [
        ("DK 13585628", "DK", "DK13585628"),  # a real CVR (mod 11)
        ("dk-2556-8214", "DK", "DK25568214"),
        ("PL5260250274", "PL", "PL5260250274"),
        ("EL094259216", "GR", "EL094259216"),
        ("DE 136 695 976", "DE", "DE136695976"),
        ("NL123456789B01", "NL", "NL123456789B01"),
        ("27AAPFU0939F1ZV", "IN", "27AAPFU0939F1ZV"),  # a GSTIN: outside the EU, letters and digits
        ("GB 123 4567 89", "GB", "GB123456789"),
    ],
)
def test_good_vat_numbers_pass_normalised(raw: str, country: str, normalised: str) -> None:
    check = check_vat_number(raw, country)
    assert check.valid, check
    assert check.number == normalised


@pytest.mark.parametrize(
    ("raw", "country", "problem"),
    [
        ("13585628", "DK", VatNumberProblem.PREFIX),  # the prefix is required
        ("SE13585628", "DK", VatNumberProblem.PREFIX),
        ("GR094259216", "GR", VatNumberProblem.PREFIX),  # Greece is EL
        ("DK1358562", "DK", VatNumberProblem.FORMAT),  # seven digits
        ("DK135856289", "DK", VatNumberProblem.FORMAT),  # nine
        ("DK1358562X", "DK", VatNumberProblem.FORMAT),
        ("DK13585627", "DK", VatNumberProblem.CHECKSUM),  # fails modulus 11
        ("PL52602502", "PL", VatNumberProblem.FORMAT),
        ("IN<script>", "IN", VatNumberProblem.FORMAT),
        ("AB", "IN", VatNumberProblem.FORMAT),
        ("", "DK", VatNumberProblem.PREFIX),
    ],
)
def test_bad_vat_numbers_say_why(raw: str, country: str, problem: VatNumberProblem) -> None:
    check = check_vat_number(raw, country)
    assert not check.valid
    assert check.problem == problem
