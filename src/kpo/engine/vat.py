"""VAT on an invoice between two businesses, by the simple rule, and the format of VAT numbers.

The rule, seen from Denmark (kpo's home) and applied per invoice from the seller's and the buyer's
countries:
- both in the same EU country: that country's standard rate (Denmark: 25 %);
- both in the EU, different countries: 0 %, the buyer accounts for the VAT ("reverse charge");
- either outside the EU: 0 %, "outside the scope of Danish VAT".

The rates are data (`STANDARD_RATES`): the standard rates in force on 1 October 2025 as the European
Commission lists them. Reduced rates and exemptions are out of scope: kpo sells professional services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

STANDARD_RATES: dict[str, Decimal] = {
    "AT": Decimal("20"),
    "BE": Decimal("21"),
    "BG": Decimal("20"),
    "CY": Decimal("19"),
    "CZ": Decimal("21"),
    "DE": Decimal("19"),
    "DK": Decimal("25"),
    "EE": Decimal("24"),
    "ES": Decimal("21"),
    "FI": Decimal("25.5"),
    "FR": Decimal("20"),
    "GR": Decimal("24"),
    "HR": Decimal("25"),
    "HU": Decimal("27"),
    "IE": Decimal("23"),
    "IT": Decimal("22"),
    "LT": Decimal("21"),
    "LU": Decimal("17"),
    "LV": Decimal("21"),
    "MT": Decimal("18"),
    "NL": Decimal("21"),
    "PL": Decimal("23"),
    "PT": Decimal("23"),
    "RO": Decimal("21"),
    "SE": Decimal("25"),
    "SI": Decimal("22"),
    "SK": Decimal("23"),
}
"""Standard VAT rates in percent, by ISO country code: one for each EU member state."""

EU_COUNTRIES: frozenset[str] = frozenset(STANDARD_RATES)


class VatTreatment(StrEnum):
    DOMESTIC = "domestic"
    REVERSE_CHARGE = "reverse_charge"
    OUTSIDE_SCOPE = "outside_scope"


@dataclass(frozen=True)
class VatRule:
    treatment: VatTreatment
    rate: Decimal
    """Percent: 25 for 25 %."""


def vat_rule(seller_country: str, buyer_country: str) -> VatRule:
    """The VAT treatment and rate of a business-to-business service invoice (see the module docstring)."""
    seller, buyer = seller_country.upper(), buyer_country.upper()
    if seller not in EU_COUNTRIES or buyer not in EU_COUNTRIES:
        return VatRule(VatTreatment.OUTSIDE_SCOPE, Decimal(0))
    if seller != buyer:
        return VatRule(VatTreatment.REVERSE_CHARGE, Decimal(0))
    return VatRule(VatTreatment.DOMESTIC, STANDARD_RATES[seller])


def vat_amount(net: Decimal, rate: Decimal, exponent: Decimal = Decimal("0.01")) -> Decimal:
    """VAT on `net` at `rate` percent, rounded half-up to `exponent` (the cent)."""
    return (net * rate / Decimal(100)).quantize(exponent, rounding=ROUND_HALF_UP)


# --- VAT numbers ----------------------------------------------------------------------------------------

VAT_PREFIX: dict[str, str] = {country: country for country in EU_COUNTRIES} | {"GR": "EL"}
"""The prefix of an EU VAT number by country: the ISO code, except Greece (EL)."""

_EU_PATTERNS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{12}",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
}
_OTHER = re.compile(r"[A-Z0-9]{5,20}")
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


class VatNumberProblem(StrEnum):
    """Why a VAT number is refused; the edge words each one for the reader."""

    PREFIX = "prefix"
    FORMAT = "format"
    CHECKSUM = "checksum"


@dataclass(frozen=True)
class VatNumberCheck:
    number: str
    """The number normalised: upper case, no spaces, dots or hyphens."""
    problem: VatNumberProblem | None = None
    expected_prefix: str = ""

    @property
    def valid(self) -> bool:
        return self.problem is None


def normalise_vat_number(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw).upper()


def check_vat_number(raw: str, country: str) -> VatNumberCheck:
    """Whether `raw` is a well-formed VAT number of a business in `country` (ISO code).

    In the EU: the country's prefix (Greece: EL) and its format; a Danish number (CVR) is DK and
    eight digits passing the modulus-11 check. Elsewhere (an Indian GSTIN, a UK number): 5 to 20
    letters and digits."""
    number = normalise_vat_number(raw)
    country = country.upper()
    prefix = VAT_PREFIX.get(country)
    if prefix is None:
        return VatNumberCheck(number, None if _OTHER.fullmatch(number) else VatNumberProblem.FORMAT)
    if not number.startswith(prefix):
        return VatNumberCheck(number, VatNumberProblem.PREFIX, prefix)
    body = number[len(prefix) :]
    if not re.fullmatch(_EU_PATTERNS[prefix], body):
        return VatNumberCheck(number, VatNumberProblem.FORMAT, prefix)
    if prefix == "DK" and sum(int(d) * w for d, w in zip(body, _CVR_WEIGHTS, strict=True)) % 11:
        return VatNumberCheck(number, VatNumberProblem.CHECKSUM, prefix)
    return VatNumberCheck(number, None, prefix)
