"""Commercials of the demo world: rate cards, make-or-buy scenarios linked to engagements, invoices
(time and materials, and fixed-fee milestones with an expense), and budget alerts.

Runs after the engagements exist. Rate-card lines are derived from each provider's own experts (the
median profile rates of its most common occupation/seniority pairs), so matching keeps its ranking.
One engagement's budget is set so that its spend is 86 % of it, so an 80 % alert shows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User

from kpo.core.errors import DomainError
from kpo.demo.organisations import BANK, CAPTIVE, FREELANCE, INDIA, MANUFACTURER, POLAND
from kpo.demo.reference import demo_now, demo_today, moved
from kpo.economics.commercials.selectors.budget import budget_status
from kpo.economics.commercials.selectors.invoices import Expense
from kpo.economics.commercials.services.budget import budget_check
from kpo.economics.commercials.services.invoicing import invoice_issue
from kpo.economics.make_or_buy.rate_quotes import rate_quotes
from kpo.economics.make_or_buy.services.comparison import make_or_buy
from kpo.economics.models import CommercialTerms, Invoice, MakeOrBuyScenario, Milestone, RateCardLine
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import Engagement, PricingModel

ISSUE_DATE = dt.date(2026, 11, 2)  # catalogue dates (kpo.demo.reference.moved)
PERIOD_END = dt.date(2026, 10, 31)
LINES_PER_PROVIDER = 8
OVER_BUDGET_SHARE = Decimal("0.86")

INDUSTRIAL_ENGINEER = "http://data.europa.eu/esco/occupation/53d2052f-edc0-4f44-8be1-164526412bfe"
# (client, engagement title prefix) -> (scenario name, occupation, options)
SCENARIOS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        MANUFACTURER,
        "Production efficiency programme",
        "Production-efficiency analysis: in-house or outsourced",
        INDUSTRIAL_ENGINEER,
        (("offshore", "IN"), ("nearshore", "PL"), ("captive", "PH")),
    ),
    (
        MANUFACTURER,
        "Machine-sensor analytics",
        "Downtime analytics: build a data team or buy",
        "data_analysis",
        (("nearshore", "PL"), ("offshore", "IN")),
    ),
    (
        MANUFACTURER,
        "Hydraulic press line",
        "Press-line engineering: the Manila captive",
        "technical_analysis",
        (("captive", "PH"), ("nearshore", "PL")),
    ),
    (
        BANK,
        "Kystbanken: IFRS 9",
        "Model validation capacity",
        "financial_consulting",
        (("offshore", "IN"), ("nearshore", "PL")),
    ),
)
SCENARIO_OCCUPATIONS = [
    occupation for *_head, occupation, _options in SCENARIOS if occupation.startswith("http")
]


def _manager(provider: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=provider, role="provider_manager")
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None, f"{provider.slug} has no manager"
    return membership.user


def _client_admin(client: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=client, role="client_admin")
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None, f"{client.slug} has no admin"
    return membership.user


def _median(values: list[Decimal]) -> Decimal:
    return Decimal(statistics.median(values)).quantize(Decimal("1"))


def create_rate_cards(organisations: Mapping[str, Organisation]) -> int:
    """Per provider, lines for its most common (occupation, seniority) pairs: the previous card (ended)
    and the current one."""
    lines: list[RateCardLine] = []
    for slug in (INDIA, POLAND, CAPTIVE, FREELANCE):
        provider = organisations[slug]
        manager = _manager(provider)
        groups: dict[tuple[int, str, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
        for occupation_id, seniority, bill, cost, currency in ExpertProfile.objects.filter(
            organisation=provider, occupation__isnull=False
        ).values_list("occupation_id", "seniority", "bill_rate", "cost_rate", "rate_currency"):
            groups[(occupation_id, seniority, currency)].append((bill, cost))
        ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        common = ranked[:LINES_PER_PROVIDER]
        covered = {occupation_id for (occupation_id, _seniority, _currency), _rates in common}
        priced = set(EscoOccupation.objects.filter(uri__in=SCENARIO_OCCUPATIONS).values_list("pk", flat=True))
        for key, rates in ranked:  # a scenario's occupation the provider staffs gets a line too
            if key[0] in priced and key[0] not in covered:
                common.append((key, rates))
                covered.add(key[0])
        for (occupation_id, seniority, currency), rates in common:
            bill = _median([bill for bill, _cost in rates])
            cost = _median([cost for _bill, cost in rates])
            base = {
                "provider": provider,
                "occupation_id": occupation_id,
                "seniority": seniority,
                "currency": currency,
                "created_by": manager,
            }
            lines.append(
                RateCardLine(
                    **base,
                    cost_rate=(cost * Decimal("0.95")).quantize(Decimal("1")),
                    bill_rate=(bill * Decimal("0.95")).quantize(Decimal("1")),
                    valid_from=moved(dt.date(2025, 1, 1)),
                    valid_to=moved(dt.date(2025, 12, 31)),
                    note="Previous card",
                )
            )
            lines.append(
                RateCardLine(
                    **base,
                    cost_rate=cost,
                    bill_rate=bill,
                    valid_from=moved(dt.date(2026, 1, 1)),
                    note="Current card",
                )
            )
    for line in lines:
        line.full_clean(exclude=["provider", "occupation", "created_by"])
    RateCardLine.objects.bulk_create(lines)
    return len(lines)


def create_scenarios(organisations: Mapping[str, Organisation]) -> int:
    """Make-or-buy scenarios computed with the shipped cost model, linked to the engagements they led to."""
    count = 0
    for client_slug, prefix, name, occupation, options in SCENARIOS:
        client = organisations[client_slug]
        engagement = Engagement.objects.filter(client=client, title__startswith=prefix).first()
        if engagement is None:
            continue
        inputs = {
            "occupation": occupation,
            "hours_per_year": "1600",
            "months": "24",
            "recurring": True,
            "currency": client.currency,
            "client_country": client.country,
            "options": [list(pair) for pair in options],
            "assumptions": {},
        }
        result = make_or_buy(
            client_country=client.country,
            currency=client.currency,
            occupation=occupation,
            hours_per_year="1600",
            months="24",
            recurring=True,
            options=list(options),
            rate_cards=rate_quotes(client, occupation, list(options), demo_today()),
        )
        scenario = MakeOrBuyScenario.objects.create(
            client=client, created_by=_client_admin(client), name=name, inputs=inputs, result=result
        )
        MakeOrBuyScenario.objects.filter(pk=scenario.pk).update(created_at=engagement.created_at)
        CommercialTerms.objects.update_or_create(
            engagement=engagement, defaults={"scenario": scenario, "alert_thresholds": [80, 100]}
        )
        count += 1
    return count


def _milestones(engagement: Engagement, admin: User) -> list[Milestone]:
    shares = (
        ("Inception report", Decimal("0.25")),
        ("Interim findings", Decimal("0.40")),
        ("Final report", Decimal("0.25")),
    )
    made = []
    for index, (title, share) in enumerate(shares):
        milestone = Milestone(
            engagement=engagement,
            title=title,
            amount=(engagement.budget * share).quantize(Decimal("1")),
            due_date=engagement.start_date + dt.timedelta(days=60 * (index + 1)),
            created_by=admin,
        )
        milestone.full_clean()
        milestone.save()
        made.append(milestone)
    return made


def create_invoices(organisations: Mapping[str, Organisation]) -> Counter[str]:
    """One T&M invoice per engagement with approved time up to the end of October; for fixed-fee
    engagements three milestones, the first reached and invoiced with an expense."""
    written: Counter[str] = Counter()
    clients = [organisations[MANUFACTURER], organisations[BANK]]
    for engagement in (
        Engagement.objects.filter(client__in=clients).select_related("client", "provider").order_by("id")
    ):
        manager = _manager(engagement.provider)
        if engagement.pricing_model == PricingModel.FIXED_FEE:
            milestones = _milestones(engagement, _client_admin(engagement.client))
            written["milestones"] += len(milestones)
            first = milestones[0]
            first.reached_at = demo_now() - dt.timedelta(days=30)
            first.reached_by = _client_admin(engagement.client)
            first.save(update_fields=["reached_at", "reached_by"])
            expenses = [Expense("Standards and regulation texts", Decimal("1480.00"))]
            try:
                invoice_issue(
                    user=manager, engagement=engagement, expenses=expenses, issue_date=moved(ISSUE_DATE)
                )
            except DomainError:
                continue
        else:
            try:
                invoice_issue(
                    user=manager,
                    engagement=engagement,
                    period_start=engagement.start_date,
                    period_end=moved(PERIOD_END),
                    issue_date=moved(ISSUE_DATE),
                )
            except DomainError:
                continue
        written["invoices"] += 1
    Invoice.objects.filter(client__in=clients).update(issued_at=demo_now() - dt.timedelta(days=21))
    return written


def _push_over_threshold(organisations: Mapping[str, Organisation]) -> None:
    """Give the manufacturer's T&M engagement that has burnt the largest share of its budget a budget
    its spend is 86 % of, so the 80 % alert shows in the demo."""
    best: tuple[Decimal, Engagement] | None = None
    for engagement in Engagement.objects.filter(
        client=organisations[MANUFACTURER], pricing_model=PricingModel.TIME_AND_MATERIALS
    ).select_related("client", "provider"):
        status = budget_status(engagement, today=demo_today(), forecast=False)
        if status.spend > 0 and status.percent is not None and (best is None or status.percent > best[0]):
            best = (status.percent, engagement)
    if best is None:
        return
    engagement = best[1]
    spend = budget_status(engagement, today=demo_today(), forecast=False).spend
    engagement.budget = (spend / OVER_BUDGET_SHARE / 1000).quantize(
        Decimal("1"), rounding=ROUND_CEILING
    ) * 1000
    if spend / engagement.budget < Decimal("0.8"):
        engagement.budget = (spend / OVER_BUDGET_SHARE).quantize(Decimal("1"), rounding=ROUND_CEILING)
    engagement.save(update_fields=["budget"])


def create_commercials(organisations: Mapping[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    written["rate_card_lines"] = create_rate_cards(organisations)
    written["scenarios"] = create_scenarios(organisations)
    written += create_invoices(organisations)
    _push_over_threshold(organisations)
    clients = [organisations[MANUFACTURER], organisations[BANK]]
    for engagement in Engagement.objects.filter(client__in=clients).select_related("client", "provider"):
        written["budget_alerts"] += len(budget_check(engagement=engagement, today=demo_today()))
    return written


def delete_commercials(slugs: list[str]) -> None:
    """Before the demo's people go: the scenarios and rate-card lines they created (PROTECT keys)."""
    MakeOrBuyScenario.objects.filter(client__slug__in=slugs).delete()
    RateCardLine.objects.filter(provider__slug__in=slugs).delete()
