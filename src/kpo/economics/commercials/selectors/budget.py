"""Budget burn and forecast to completion of an engagement, and its commercial terms.

Spend to date = issued invoices + approved time not yet invoiced (valued at the bill rate valid on each
entry's date, converted at today's ECB rate) + reached milestones not yet invoiced.

Forecast to completion:
- time and materials: spend + the remaining estimated effort of open tasks (effort minus the time logged
  on them that was not rejected, never below zero) x the average bill rate so far (value / hours of the
  invoiced and approved time; with no time yet, the mean effective rate of the experts assigned);
- fixed fee: the larger of the spend and the sum of all milestones (the contract value) plus invoiced
  expenses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core.clock import installation_date
from kpo.economics.commercials.money import ConversionError, convert_on, round_half_up
from kpo.economics.commercials.selectors.rate_cards import RateBook
from kpo.economics.models import CommercialTerms, Invoice, Milestone
from kpo.work.models import (
    OPEN_STATUS_VALUES,
    Assignment,
    Engagement,
    PricingModel,
    Task,
    TimeEntry,
    TimeEntryStatus,
)

DEFAULT_THRESHOLDS = (80, 100)
HUNDRED = Decimal(100)


def thresholds_of(terms: CommercialTerms | None) -> list[int]:
    if terms is None or not terms.alert_thresholds:
        return list(DEFAULT_THRESHOLDS)
    return sorted({int(t) for t in terms.alert_thresholds})


def commercial_terms(engagement: Engagement) -> CommercialTerms | None:
    """The engagement's commercial terms (thresholds, linked scenario), if any were set."""
    return CommercialTerms.objects.filter(engagement=engagement).select_related("scenario").first()


@dataclass
class BudgetStatus:
    engagement: Engagement
    currency: str
    budget: Decimal
    invoiced: Decimal
    approved_uninvoiced: Decimal
    reached_uninvoiced: Decimal
    spend: Decimal
    percent: Decimal | None
    forecast: Decimal | None
    forecast_percent: Decimal | None
    remaining_hours: Decimal
    average_rate: Decimal | None
    fixed_fee: bool
    thresholds: list[int]
    fired: list[int]
    notes: list[str] = field(default_factory=list)

    @property
    def bar_percent(self) -> str:
        """The burn bar's width (0-100, as text for CSS)."""
        value = min(self.percent or Decimal(0), HUNDRED)
        return f"{value:.1f}"

    @property
    def level(self) -> str:
        """ "ok", "warn" (past the lowest threshold) or "over" (past 100 %)."""
        if self.percent is None:
            return "ok"
        if self.percent >= HUNDRED:
            return "over"
        return "warn" if self.thresholds and self.percent >= min(self.thresholds) else "ok"


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole * HUNDRED).quantize(Decimal("0.1"))


def budget_status(
    engagement: Engagement, *, today: dt.date | None = None, forecast: bool = True
) -> BudgetStatus:
    """Spend, burn and forecast of one engagement in its currency (a handful of queries; without
    `forecast`, the forecast is left out and so are its two queries)."""
    day = today or installation_date(timezone.now())
    currency = engagement.currency
    terms = CommercialTerms.objects.filter(engagement=engagement).first()
    notes: list[str] = []
    sums = Invoice.objects.filter(engagement=engagement).aggregate(
        total=Sum("total"), hours=Sum("hours"), work=Sum("work_total"), expenses=Sum("expenses_total")
    )
    invoiced = round_half_up(Decimal(sums["total"] or 0), currency)  # SQLite sums come back long
    invoiced_hours = Decimal(sums["hours"] or 0).quantize(Decimal("0.01"))
    fixed_fee = engagement.pricing_model == PricingModel.FIXED_FEE
    book = RateBook({engagement.provider_id})
    approved_value = Decimal(0)
    approved_hours = Decimal(0)
    reached = Decimal(0)
    contract = Decimal(0)
    if fixed_fee:  # time is not billed: milestones are
        milestone_sums = Milestone.objects.filter(engagement=engagement).aggregate(
            all=Sum("amount"), open=Sum("amount", filter=Q(reached_at__isnull=False, invoiced__isnull=True))
        )
        contract = round_half_up(Decimal(milestone_sums["all"] or 0), currency)
        reached = round_half_up(Decimal(milestone_sums["open"] or 0), currency)
    else:
        entries = TimeEntry.objects.filter(
            task__engagement=engagement, status=TimeEntryStatus.APPROVED, invoiced__isnull=True
        ).select_related("expert")
        for entry in entries:
            rate = book.bill_rate(provider_id=engagement.provider_id, expert=entry.expert, day=entry.date)
            try:
                unit = convert_on(rate.amount, rate.currency, currency, day).amount
            except ConversionError:
                notes.append(
                    _("Time of %(expert)s could not be valued: no exchange rate.") % {"expert": entry.expert}
                )
                continue
            approved_value += round_half_up(entry.hours * unit, currency)
            approved_hours += entry.hours
    spend = invoiced + approved_value + reached
    remaining = Decimal(0)
    average: Decimal | None = None
    projected: Decimal | None
    if not forecast:
        projected = None
    elif fixed_fee:
        projected = max(spend, contract + round_half_up(Decimal(sums["expenses"] or 0), currency))
    else:
        logged = Sum("time_entries__hours", filter=~Q(time_entries__status=TimeEntryStatus.REJECTED))
        for effort, hours in (
            Task.objects.filter(engagement=engagement, status__in=OPEN_STATUS_VALUES)
            .annotate(logged=logged)
            .values_list("effort_hours", "logged")
        ):
            remaining += max(Decimal(effort) - Decimal(hours or 0), Decimal(0))
        hours_so_far = invoiced_hours + approved_hours
        if hours_so_far > 0:
            average = (round_half_up(Decimal(sums["work"] or 0), currency) + approved_value) / hours_so_far
        else:
            experts = {
                a.expert_id: a.expert
                for a in Assignment.objects.filter(task__engagement=engagement).select_related("expert")
            }
            rates = []
            for expert in experts.values():
                rate = book.bill_rate(provider_id=engagement.provider_id, expert=expert, day=day)
                try:
                    rates.append(convert_on(rate.amount, rate.currency, currency, day).amount)
                except ConversionError:
                    continue
            if rates:
                average = sum(rates, Decimal(0)) / len(rates)
        if average is None:
            projected = None if remaining > 0 else spend
        else:
            average = round_half_up(average, currency)
            projected = spend + round_half_up(remaining * average, currency)
    return BudgetStatus(
        engagement=engagement,
        currency=currency,
        budget=engagement.budget,
        invoiced=invoiced,
        approved_uninvoiced=approved_value,
        reached_uninvoiced=reached,
        spend=spend,
        percent=percent_of(spend, engagement.budget),
        forecast=projected,
        forecast_percent=None if projected is None else percent_of(projected, engagement.budget),
        remaining_hours=remaining,
        average_rate=average,
        fixed_fee=fixed_fee,
        thresholds=thresholds_of(terms),
        fired=sorted(int(t) for t in (terms.alerts_fired if terms else [])),
        notes=notes,
    )
