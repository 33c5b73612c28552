"""What the time awaiting approval is worth: each entry at the bill rate valid on its date (the rate
card's, else the expert's profile), in the engagement's currency at today's ECB rate, and the totals of
hours and money per task and overall."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kpo.economics.commercials.money import ConversionError, convert_on, round_half_up
from kpo.economics.commercials.selectors.rate_cards import RateBook
from kpo.work.models import Engagement, TimeEntry


@dataclass(frozen=True)
class PricedEntry:
    entry: TimeEntry
    rate: Decimal | None
    """Per hour in the engagement's currency; None when the rate's currency cannot be converted."""
    value: Decimal | None


@dataclass
class Total:
    label: str
    hours: Decimal = Decimal(0)
    value: Decimal = Decimal(0)
    unpriced: int = 0
    """Entries whose rate could not be converted, left out of `value`."""

    def add(self, priced: PricedEntry) -> None:
        self.hours += priced.entry.hours
        if priced.value is None:
            self.unpriced += 1
        else:
            self.value += priced.value


@dataclass
class TimeTotals:
    currency: str
    entries: list[PricedEntry]
    tasks: list[Total] = field(default_factory=list)
    overall: Total = field(default_factory=lambda: Total(""))


def priced_time(engagement: Engagement, entries: Sequence[TimeEntry], today: dt.date) -> TimeTotals:
    """`entries` (with their experts and tasks loaded) priced, with the totals per task (by title) and
    overall; one query for the rate card."""
    book = RateBook({engagement.provider_id})
    currency = engagement.currency
    totals = TimeTotals(currency, [])
    by_task: dict[int, Total] = {}
    for entry in entries:
        effective = book.bill_rate(provider_id=engagement.provider_id, expert=entry.expert, day=entry.date)
        try:
            rate: Decimal | None = convert_on(effective.amount, effective.currency, currency, today).amount
        except ConversionError:
            rate = None
        value = round_half_up(entry.hours * rate, currency) if rate is not None else None
        priced = PricedEntry(entry, rate, value)
        totals.entries.append(priced)
        by_task.setdefault(entry.task_id, Total(entry.task.title)).add(priced)
        totals.overall.add(priced)
    totals.tasks = sorted(by_task.values(), key=lambda total: total.label)
    return totals
