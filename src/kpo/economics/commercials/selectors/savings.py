"""Realised savings of engagements linked to the make-or-buy scenario they came from.

Per invoice: the in-house baseline for the invoice's hours (hours x the scenario's in-house cost per
delivered hour) minus the invoice total, both converted to the client's currency at the ECB rate of the
invoice's issue date. Internal hours freed = the hours delivered (what the client's own staff would
otherwise spend).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from kpo.economics.commercials.money import ConversionError, convert_on
from kpo.economics.commercials.selectors.budget import percent_of
from kpo.economics.models import CommercialTerms, Invoice, MakeOrBuyScenario
from kpo.work.models import Engagement


def baseline_rate(scenario: MakeOrBuyScenario) -> tuple[Decimal, str] | None:
    """The scenario's in-house cost per delivered hour and its currency, or None."""
    result: dict[str, Any] = scenario.result or {}
    for option in result.get("options") or []:
        if option.get("sourcing") == "in_house":
            raw = option.get("cost_per_delivered_hour") or option.get("hourly_cost")
            try:
                value = Decimal(str(raw))
            except (InvalidOperation, TypeError):
                return None
            currency = str(result.get("currency") or "")
            return (value, currency) if value.is_finite() and value > 0 and currency else None
    return None


@dataclass
class Savings:
    currency: str
    hours: Decimal = Decimal(0)
    delivered_cost: Decimal = Decimal(0)
    baseline: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)
    scenario: MakeOrBuyScenario | None = None

    @property
    def saved(self) -> Decimal:
        return self.baseline - self.delivered_cost

    @property
    def savedpercent_of(self) -> Decimal | None:
        return percent_of(self.saved, self.baseline)


def savings_of(
    invoices: list[Invoice], scenario: MakeOrBuyScenario | None, currency: str, into: Savings | None = None
) -> Savings:
    """Delivered cost against the scenario's in-house baseline for the same hours, in `currency`."""
    savings = into or Savings(currency=currency, scenario=scenario)
    base = baseline_rate(scenario) if scenario is not None else None
    if base is None:
        return savings
    rate, base_currency = base
    for invoice in invoices:
        try:
            cost = convert_on(invoice.total, invoice.currency, currency, invoice.issue_date)
            baseline = convert_on(invoice.hours * rate, base_currency, currency, invoice.issue_date)
        except ConversionError as error:
            savings.notes.append(f"{invoice.number}: {error}")
            continue
        savings.hours += invoice.hours
        savings.delivered_cost += cost.amount
        savings.baseline += baseline.amount
        for note in (cost.note, baseline.note):
            if note and note not in savings.notes:
                savings.notes.append(note)
    return savings


def engagement_savings(engagement: Engagement) -> Savings | None:
    terms = CommercialTerms.objects.filter(engagement=engagement).select_related("scenario").first()
    if terms is None or terms.scenario is None:
        return None
    invoices = list(Invoice.objects.filter(engagement=engagement).order_by("issue_date", "id"))
    return savings_of(invoices, terms.scenario, engagement.client.currency)


def linkable_scenarios(engagement: Engagement) -> QuerySet[MakeOrBuyScenario]:
    """The make-or-buy scenarios of the engagement's client, newest first (its savings baseline)."""
    return MakeOrBuyScenario.objects.filter(client_id=engagement.client_id).order_by("-created_at")
