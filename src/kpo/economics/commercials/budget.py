"""Budget burn, forecast to completion, budget alerts and realised savings.

Spend to date = issued invoices + approved time not yet invoiced (valued at the bill rate valid on each
entry's date, converted at today's ECB rate) + reached milestones not yet invoiced.

Forecast to completion:
- time and materials: spend + the remaining estimated effort of open tasks (effort minus the time logged
  on them that was not rejected, never below zero) x the average bill rate so far (value / hours of the
  invoiced and approved time; with no time yet, the mean effective rate of the experts assigned);
- fixed fee: the larger of the spend and the sum of all milestones (the contract value) plus invoiced
  expenses.

Alerts: each threshold (percent of the budget; default 80 and 100, configurable per engagement) fires
once, when spend reaches it: a notice to the client's admins and requesters and the provider's
managers (deduplicated by key), and an audit entry (`budget_alert`).

Realised savings, for an engagement linked to the make-or-buy scenario it came from, per invoice: the
in-house baseline for the invoice's hours (hours x the scenario's in-house cost per delivered hour)
minus the invoice total, both converted to the client's currency at the ECB rate of the invoice's issue
date. Internal hours freed = the hours delivered (what the client's own staff would otherwise spend).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit_record
from kpo.economics.commercials.money import ConversionError, convert_on, round_half_up
from kpo.economics.commercials.rate_cards import RateBook
from kpo.economics.models import CommercialTerms, Invoice, MakeOrBuyScenario, Milestone
from kpo.notices.services import notice_send
from kpo.orgs.models import Membership
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


def parse_thresholds(text: str) -> list[int]:
    """ "80, 100" -> [80, 100]: whole percentages from 1 to 1000, at most 6."""
    from django.core.exceptions import ValidationError

    values: set[int] = set()
    for part in str(text or "").replace(";", ",").split(","):
        part = part.strip().rstrip("%").strip()
        if not part:
            continue
        try:
            number = int(part)
        except ValueError:
            raise ValidationError(
                {"alert_thresholds": [_("%(value)s is not a whole percentage.") % {"value": part}]}
            ) from None
        if not 1 <= number <= 1000:
            raise ValidationError({"alert_thresholds": [_("Thresholds run from 1 to 1000 %.")]})
        values.add(number)
    if not values:
        raise ValidationError({"alert_thresholds": [_("Give at least one threshold, e.g. 80, 100.")]})
    if len(values) > 6:
        raise ValidationError({"alert_thresholds": [_("Give at most six thresholds.")]})
    return sorted(values)


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


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole * HUNDRED).quantize(Decimal("0.1"))


def budget_status(
    engagement: Engagement, *, today: dt.date | None = None, forecast: bool = True
) -> BudgetStatus:
    """Spend, burn and forecast of one engagement in its currency (a handful of queries; without
    `forecast`, the forecast is left out and so are its two queries)."""
    day = today or timezone.localdate()
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
        percent=_percent(spend, engagement.budget),
        forecast=projected,
        forecast_percent=None if projected is None else _percent(projected, engagement.budget),
        remaining_hours=remaining,
        average_rate=average,
        fixed_fee=fixed_fee,
        thresholds=thresholds_of(terms),
        fired=sorted(int(t) for t in (terms.alerts_fired if terms else [])),
        notes=notes,
    )


def _alert_recipients(engagement: Engagement) -> list[User]:
    memberships = Membership.objects.filter(
        Q(organisation_id=engagement.client_id, role__in=["client_admin", "requester"])
        | Q(organisation_id=engagement.provider_id, role="provider_manager")
    ).select_related("user")
    return [m.user for m in memberships if m.user.is_active]


def budget_check(*, engagement: Engagement, today: dt.date | None = None) -> list[int]:
    """Fire each threshold the spend has reached and that has not fired yet; returns those fired now."""
    status = budget_status(engagement, today=today)
    if status.percent is None:
        return []
    due = [t for t in status.thresholds if status.percent >= t and t not in status.fired]
    if not due:
        return []
    with transaction.atomic():
        terms, _created = CommercialTerms.objects.select_for_update().get_or_create(engagement=engagement)
        fired = {int(t) for t in terms.alerts_fired}
        due = [t for t in due if t not in fired]
        if not due:
            return []
        recipients = _alert_recipients(engagement)
        url = reverse("engagement_commercials", kwargs={"engagement_id": engagement.pk})
        for threshold in due:
            text = _(
                "%(title)s has used %(percent)s %% of its budget (threshold %(threshold)s %%): "
                "%(spend)s of %(budget)s %(currency)s."
            ) % {
                "title": engagement.title,
                "percent": status.percent,
                "threshold": threshold,
                "spend": status.spend,
                "budget": status.budget,
                "currency": status.currency,
            }
            notice_send(
                users=recipients,
                kind="budget_alert",
                text=text,
                url=url,
                key=f"budget-{threshold}:engagement-{engagement.pk}",
            )
            audit_record(
                event=AuditEvent.BUDGET_ALERT,
                actor=None,
                organisation=engagement.client,
                object_type="engagement",
                object_id=engagement.pk,
                details={
                    "threshold": threshold,
                    "percent": str(status.percent),
                    "spend": str(status.spend),
                    "budget": str(status.budget),
                    "currency": status.currency,
                },
            )
        terms.alerts_fired = sorted(fired | set(due))
        terms.save(update_fields=["alerts_fired", "updated_at"])
    return due


@transaction.atomic
def commercial_terms_update(
    *,
    user: User,
    engagement: Engagement,
    alert_thresholds: list[int],
    scenario: MakeOrBuyScenario | None,
) -> CommercialTerms:
    """Set the alert thresholds and the linked make-or-buy scenario (the client's admins/requesters)."""
    from django.core.exceptions import ValidationError

    from kpo.core.access import require
    from kpo.economics.commercials.access import writes_client_terms

    require(writes_client_terms(user, engagement), _("Only the client's admins and requesters change this."))
    if scenario is not None and scenario.client_id != engagement.client_id:
        raise ValidationError({"scenario": [_("Link a scenario of this engagement's client.")]})
    if scenario is not None and baseline_rate(scenario) is None:
        raise ValidationError({"scenario": [_("This scenario has no in-house cost to compare with.")]})
    terms, _created = CommercialTerms.objects.select_for_update().get_or_create(engagement=engagement)
    terms.alert_thresholds = sorted(set(alert_thresholds))
    terms.alerts_fired = [t for t in terms.alerts_fired if t in terms.alert_thresholds]
    terms.scenario = scenario
    terms.full_clean()
    terms.save()
    transaction.on_commit(lambda: budget_check(engagement=engagement))
    return terms


# --- realised savings -------------------------------------------------------------------------------


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
    def saved_percent(self) -> Decimal | None:
        return _percent(self.saved, self.baseline)


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


# --- the client dashboard ------------------------------------------------------------------------------


@dataclass
class ClientCommercials:
    currency: str
    spend_total: Decimal
    by_domain: list[tuple[str, Decimal]]
    by_provider: list[tuple[str, Decimal]]
    by_country: list[tuple[str, Decimal]]
    savings: Savings
    savings_by_engagement: list[tuple[Engagement, Savings]]
    burn: list[BudgetStatus]
    notes: list[str]


def client_commercials(
    client_id: int, currency: str, engagements: QuerySet[Engagement], *, limit: int = 40
) -> ClientCommercials:
    """Spend by domain, provider and provider country (issued invoices, in the client's currency at the
    ECB rate of each issue date), realised savings, and the budget burn of its open engagements."""
    from kpo.experts.models import DomainChoice

    invoices = list(
        Invoice.objects.filter(client_id=client_id)
        .select_related("engagement", "provider")
        .order_by("issue_date", "id")
    )
    domain_labels = dict(DomainChoice.choices)
    by_domain: dict[str, Decimal] = defaultdict(Decimal)
    by_provider: dict[str, Decimal] = defaultdict(Decimal)
    by_country: dict[str, Decimal] = defaultdict(Decimal)
    notes: list[str] = []
    total = Decimal(0)
    for invoice in invoices:
        try:
            amount = convert_on(invoice.total, invoice.currency, currency, invoice.issue_date).amount
        except ConversionError as error:
            notes.append(f"{invoice.number}: {error}")
            continue
        total += amount
        by_domain[str(domain_labels.get(invoice.engagement.domain, invoice.engagement.domain))] += amount
        by_provider[invoice.provider.name] += amount
        by_country[invoice.provider.country] += amount
    terms = {
        t.engagement_id: t
        for t in CommercialTerms.objects.filter(
            engagement__client_id=client_id, scenario__isnull=False
        ).select_related("scenario")
    }
    overall = Savings(currency=currency)
    per_engagement: list[tuple[Engagement, Savings]] = []
    invoices_of: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        invoices_of[invoice.engagement_id].append(invoice)
    for engagement_id, term in terms.items():
        engagement_invoices = invoices_of.get(engagement_id, [])
        one = savings_of(engagement_invoices, term.scenario, currency)
        savings_of(engagement_invoices, term.scenario, currency, into=overall)
        engagement = next((inv.engagement for inv in engagement_invoices), None) or Engagement.objects.get(
            pk=engagement_id
        )
        per_engagement.append((engagement, one))
    burn = [
        budget_status(engagement)
        for engagement in engagements.filter(client_id=client_id, status__in=["active", "draft"])
        .select_related("client", "provider")
        .order_by("title")[:limit]
    ]

    def ranked(values: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
        return sorted(values.items(), key=lambda item: (-item[1], item[0]))

    return ClientCommercials(
        currency=currency,
        spend_total=total,
        by_domain=ranked(by_domain),
        by_provider=ranked(by_provider),
        by_country=ranked(by_country),
        savings=overall,
        savings_by_engagement=sorted(per_engagement, key=lambda pair: pair[0].title),
        burn=burn,
        notes=notes,
    )
