"""The client dashboard's figures: spend by domain, provider and country, savings and budget burn."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kpo.economics.commercials.money import ConversionError, convert_on
from kpo.economics.commercials.selectors.budget import BudgetStatus, budget_status
from kpo.economics.commercials.selectors.savings import Savings, savings_of
from kpo.economics.models import CommercialTerms, Invoice
from kpo.experts.models import DomainChoice
from kpo.work.models import Engagement


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
