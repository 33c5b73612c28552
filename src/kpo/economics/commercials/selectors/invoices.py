"""What an invoice would hold, and the invoices and milestones of an engagement.

Time and materials: one invoice per period holds the engagement's approved, not yet invoiced time
entries dated in the period, one line per expert and unit rate. The unit rate is the bill rate valid on
the entry's date (the provider's rate-card line for the expert's occupation and seniority, else the
profile's bill rate), converted to the engagement's currency at the ECB rate of the issue date and
rounded half-up to the cent. Line amount = hours x unit rate, rounded half-up to the cent; the total is
the sum of the rounded lines (see `kpo.economics.commercials.money.ROUNDING_RULE`).

Fixed fee: one invoice holds every milestone the client has confirmed reached and not yet invoiced.

Either may carry expenses.

VAT: one treatment and rate per invoice from the provider's and the client's countries
(`kpo.engine.vat.vat_rule`); each line's VAT is its rounded amount at that rate, rounded half-up to the
cent, and the invoice's VAT is the sum of its lines'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.economics.commercials import line_texts
from kpo.economics.commercials.money import ConversionError, convert_on, minor_unit, round_half_up
from kpo.economics.commercials.selectors.rate_cards import RateBook
from kpo.economics.models import Invoice, InvoiceKind, InvoiceLine, InvoiceLineKind, Milestone
from kpo.engine.messages import Message
from kpo.engine.vat import VatRule, vat_amount, vat_rule
from kpo.experts.models import ExpertProfile
from kpo.work.models import Engagement, PricingModel, TimeEntry, TimeEntryStatus

MAX_EXPENSE = Decimal("999999999999.99")


@dataclass(frozen=True)
class Expense:
    description: str
    amount: Decimal


@dataclass
class DraftLine:
    """A line an invoice would hold. A time line's texts are messages (read in the reader's language,
    kept in no language at issue: `kpo.economics.commercials.line_texts`); an expense's or a milestone's
    description is the text a user typed."""

    kind: str
    description: Message | str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    rate_source: Message | str = ""
    vat_amount: Decimal = Decimal(0)
    expert: ExpertProfile | None = None
    milestone: Milestone | None = None
    entry_ids: list[int] = field(default_factory=list)

    @property
    def description_text(self) -> str:
        return line_texts.text(self.description)

    @property
    def rate_source_text(self) -> str:
        return line_texts.text(self.rate_source)


@dataclass
class DraftInvoice:
    engagement: Engagement
    kind: str
    currency: str
    issue_date: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    lines: list[DraftLine]
    hours: Decimal
    vat: VatRule

    @property
    def work_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind != InvoiceLineKind.EXPENSE), Decimal(0))

    @property
    def expenses_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == InvoiceLineKind.EXPENSE), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def vat_total(self) -> Decimal:
        return sum((line.vat_amount for line in self.lines), Decimal(0))

    @property
    def gross_total(self) -> Decimal:
        return self.total + self.vat_total

    @property
    def billable(self) -> bool:
        return any(line.kind != InvoiceLineKind.EXPENSE for line in self.lines)


def parse_expenses(rows: Sequence[tuple[object, object]], currency: str) -> list[Expense]:
    """Expenses as (description, amount): a description and a positive amount of at most two decimals."""
    expenses: list[Expense] = []
    for index, (description, raw) in enumerate(rows, start=1):
        text = str(description or "").strip()
        if not text and (raw is None or str(raw).strip() == ""):
            continue
        if not text or len(text) > 200:
            raise ValidationError(
                {"expenses": [_("Expense %(n)s needs a description (up to 200 characters).") % {"n": index}]}
            )
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValidationError(
                {"expenses": [_("Expense %(n)s: the amount is not a number.") % {"n": index}]}
            ) from None
        if not amount.is_finite() or amount <= 0 or amount > MAX_EXPENSE:
            raise ValidationError(
                {"expenses": [_("Expense %(n)s: the amount must be positive.") % {"n": index}]}
            )
        if amount != round_half_up(amount, currency):
            raise ValidationError(
                {"expenses": [_("Expense %(n)s: give the amount to the cent at most.") % {"n": index}]}
            )
        expenses.append(Expense(text, amount))
    return expenses


def _expense_lines(expenses: Sequence[Expense]) -> list[DraftLine]:
    return [
        DraftLine(InvoiceLineKind.EXPENSE, e.description, Decimal(1), e.amount, e.amount) for e in expenses
    ]


def _time_lines(engagement: Engagement, entries: Sequence[TimeEntry], issue_date: dt.date) -> list[DraftLine]:
    book = RateBook({engagement.provider_id})
    currency = engagement.currency
    groups: dict[tuple[int, Decimal, str], DraftLine] = {}
    for entry in entries:
        effective = book.bill_rate(provider_id=engagement.provider_id, expert=entry.expert, day=entry.date)
        try:
            converted = convert_on(effective.amount, effective.currency, currency, issue_date)
        except ConversionError as error:
            raise DomainError(
                _("The rate of %(expert)s (%(source)s) cannot be converted to %(currency)s: %(reason)s.")
                % {
                    "expert": entry.expert.display_name,
                    "source": effective.currency,
                    "currency": currency,
                    "reason": error,
                },
                field="currency",
            ) from None
        source = line_texts.rate_source(
            card_line=effective.line_id,
            amount=effective.amount,
            currency=effective.currency,
            target=currency,
            converted=converted,
        )
        key = (entry.expert_id, converted.amount, line_texts.english(source))
        line = groups.get(key)
        if line is None:
            line = groups[key] = DraftLine(
                InvoiceLineKind.TIME,
                line_texts.hours_of(entry.expert.display_name),
                Decimal(0),
                converted.amount,
                Decimal(0),
                source,
                expert=entry.expert,
            )
        line.quantity += entry.hours
        line.entry_ids.append(entry.pk)
    lines = sorted(groups.values(), key=lambda line: (line_texts.english(line.description), line.unit_price))
    for line in lines:
        line.amount = round_half_up(line.quantity * line.unit_price, currency)
    return lines


def billable_time(engagement: Engagement, start: dt.date, end: dt.date) -> list[TimeEntry]:
    return list(
        TimeEntry.objects.filter(
            task__engagement=engagement,
            status=TimeEntryStatus.APPROVED,
            date__gte=start,
            date__lte=end,
            invoiced__isnull=True,
        )
        .select_related("expert", "expert__user")
        .order_by("date", "id")
    )


def billable_milestones(engagement: Engagement) -> list[Milestone]:
    return list(
        Milestone.objects.filter(
            engagement=engagement, reached_at__isnull=False, invoiced__isnull=True
        ).order_by("reached_at", "id")
    )


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None:
        raise ValidationError({"period_start": [_("Give the first day of the period.")]})
    if end is None:
        raise ValidationError({"period_end": [_("Give the last day of the period.")]})
    if end < start:
        raise ValidationError({"period_end": [_("The period cannot end before it starts.")]})
    return start, end


def _approved_hours(engagement: Engagement, until: dt.date) -> Decimal:
    total = TimeEntry.objects.filter(
        task__engagement=engagement, status=TimeEntryStatus.APPROVED, date__lte=until
    ).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def invoice_draft(
    *,
    engagement: Engagement,
    issue_date: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    expenses: Sequence[Expense] = (),
) -> DraftInvoice:
    """What an invoice issued now would hold (nothing is stored). By the engagement's pricing model:
    time and materials bills approved time in the period; fixed fee bills reached milestones."""
    currency = engagement.currency
    if engagement.pricing_model == PricingModel.FIXED_FEE:
        lines = [
            DraftLine(InvoiceLineKind.MILESTONE, m.title, Decimal(1), m.amount, m.amount, milestone=m)
            for m in billable_milestones(engagement)
        ]
        earlier = Decimal(
            Invoice.objects.filter(engagement=engagement).aggregate(h=Sum("hours"))["h"] or 0
        ).quantize(Decimal("0.01"))
        hours = max(_approved_hours(engagement, issue_date) - earlier, Decimal(0)) if lines else Decimal(0)
        kind = InvoiceKind.MILESTONE
        period_start = period_end = None
    else:
        start, end = _period(period_start, period_end)
        lines = _time_lines(engagement, billable_time(engagement, start, end), issue_date)
        hours = sum((line.quantity for line in lines), Decimal(0))
        kind = InvoiceKind.TIME_AND_MATERIALS
        period_start, period_end = start, end
    lines.extend(_expense_lines(expenses))
    vat = vat_rule(engagement.provider.country, engagement.client.country)
    for line in lines:
        line.vat_amount = vat_amount(line.amount, vat.rate, minor_unit(currency))
    return DraftInvoice(engagement, kind, currency, issue_date, period_start, period_end, lines, hours, vat)


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.order_by("position"))


def engagement_invoices(engagement: Engagement) -> list[Invoice]:
    return list(Invoice.objects.filter(engagement=engagement).order_by("-issue_date", "-id"))


def engagement_milestones(engagement: Engagement) -> list[Milestone]:
    return list(Milestone.objects.filter(engagement=engagement).select_related("invoiced"))
