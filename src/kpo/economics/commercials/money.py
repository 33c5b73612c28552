"""Money on invoices and budgets: Decimal only, explicit half-up rounding, dated ECB conversions.

- `round_half_up(amount, currency)`: to the currency's minor unit (ISO 4217 exponent: cents for DKK,
  whole yen for JPY), ROUND_HALF_UP, the rule commercial invoices use (0.005 -> 0.01).
- `convert_on(amount, from, to, day)`: at the ECB reference rate of `day` (the latest shipped on or
  before it), the result rounded half-up to the target's minor unit, with a note naming the rate and
  its date. Currencies the shipped ECB table does not quote cannot be converted (ConversionError).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib.resources import files

from django.utils.translation import gettext_noop

from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import MINOR_UNITS, quantum
from kpo.engine.costing.rates import EcbRates

ROUNDING_RULE = gettext_noop(
    "Each line is quantity x unit price, rounded half-up to the cent; totals are sums of rounded lines. "
    "Rates in another currency are converted at the ECB reference rate of the issue date, rounded "
    "half-up to the cent. Each line's VAT is its amount at the invoice's rate, rounded half-up."
)
"""Stored on each invoice in English as issued; pages, PDFs and CSVs show it through the catalogue."""


class ConversionError(ValueError):
    """No shipped ECB rate converts between the two currencies on that day."""


@lru_cache(maxsize=1)
def ecb_rates() -> EcbRates:
    return EcbRates.from_csv(files("kpo").joinpath("data", "ecb_rates.csv").read_text(encoding="utf-8"))


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest unit: Decimal("0.01") for DKK, Decimal("1") for JPY."""
    return quantum(currency) if currency in MINOR_UNITS else Decimal("0.01")


def round_half_up(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Converted:
    amount: Decimal
    rate: Decimal  # units of the target per unit of the source
    rate_date: dt.date | None  # None: same currency
    note: str


def rate_on(source: str, target: str, day: dt.date) -> tuple[Decimal, dt.date | None]:
    """Units of `target` per unit of `source` at the ECB reference rate of `day` (or the latest before)."""
    if source == target:
        return Decimal(1), None
    rates = ecb_rates()
    for code in (source, target):
        if code not in rates.quoted:
            raise ConversionError(f"no ECB reference rate for {code}")
    try:
        used, values = rates.rate_on([source, target], day)
    except CostingInputError:
        first = rates.days[0]
        if day >= first:
            raise ConversionError(f"no ECB reference rate for {source}/{target} on {day}") from None
        used, values = rates.rate_on([source, target], first)  # before the table: its first day
    return values[target] / values[source], used


def convert_on(amount: Decimal, source: str, target: str, day: dt.date) -> Converted:
    rate, used = rate_on(source, target, day)
    if used is None:
        return Converted(round_half_up(amount, target), rate, None, "")
    note = f"1 {source} = {rate:.6g} {target} (ECB reference rate of {used.isoformat()})"
    return Converted(round_half_up(amount * rate, target), rate, used, note)
