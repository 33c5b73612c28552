"""Invoices and milestones.

Time and materials: one invoice per period holds the engagement's approved, not yet invoiced time
entries dated in the period, one line per expert and unit rate. The unit rate is the bill rate valid on
the entry's date (the provider's rate-card line for the expert's occupation and seniority, else the
profile's bill rate), converted to the engagement's currency at the ECB rate of the issue date and
rounded half-up to the cent. Line amount = hours x unit rate, rounded half-up to the cent; the total is
the sum of the rounded lines (see `kpo.economics.commercials.money.ROUNDING_RULE`).

Fixed fee: one invoice holds every milestone the client has confirmed reached and not yet invoiced.

Either may carry expenses. Issuing numbers the invoice per provider (`<PROVIDER>-<year>-<00001>`, one
sequence per provider), snapshots every line, links the time entries and milestones it bills (each at
most once, enforced by unique keys), audits `invoice_issued` and checks the budget alerts. An issued
invoice is never changed: there is no update path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit_record
from kpo.core.access import require
from kpo.core.errors import DomainError
from kpo.economics.commercials.access import manages_provider, writes_client_terms
from kpo.economics.commercials.money import ROUNDING_RULE, ConversionError, convert_on, round_half_up
from kpo.economics.commercials.rate_cards import RateBook
from kpo.economics.models import (
    Invoice,
    InvoicedMilestone,
    InvoicedTime,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineKind,
    Milestone,
)
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement, PricingModel, TimeEntry, TimeEntryStatus

MAX_EXPENSE = Decimal("999999999999.99")


@dataclass(frozen=True)
class Expense:
    description: str
    amount: Decimal


@dataclass
class DraftLine:
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    rate_source: str = ""
    expert: ExpertProfile | None = None
    milestone: Milestone | None = None
    entry_ids: list[int] = field(default_factory=list)


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
        source = effective.source()
        if converted.note:
            source = f"{source}: {effective.currency} {effective.amount}; {converted.note}"
        key = (entry.expert_id, converted.amount, source)
        line = groups.get(key)
        if line is None:
            line = groups[key] = DraftLine(
                InvoiceLineKind.TIME,
                _("%(expert)s, hours") % {"expert": entry.expert.display_name},
                Decimal(0),
                converted.amount,
                Decimal(0),
                source,
                expert=entry.expert,
            )
        line.quantity += entry.hours
        line.entry_ids.append(entry.pk)
    lines = sorted(groups.values(), key=lambda line: (line.description, line.unit_price))
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
    return DraftInvoice(engagement, kind, currency, issue_date, period_start, period_end, lines, hours)


def _next_sequence(provider: Organisation) -> int:
    Organisation.objects.select_for_update().filter(pk=provider.pk).first()
    last = Invoice.objects.filter(provider=provider).aggregate(last=Max("sequence"))["last"]
    return int(last or 0) + 1


def invoice_number(provider: Organisation, year: int, sequence: int) -> str:
    prefix = "".join(ch for ch in provider.slug.upper() if ch.isalnum())[:12] or "INV"
    return f"{prefix}-{year}-{sequence:05d}"


def invoice_issue(
    *,
    user: User,
    engagement: Engagement,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    expenses: Sequence[Expense] = (),
    note: str = "",
    issue_date: dt.date | None = None,
) -> Invoice:
    """Issue the next invoice of `engagement` (its provider's managers only); see the module docstring.
    Nothing to bill is a 409 naming `period_start` (time) or `milestones` (fixed fee)."""
    require(manages_provider(user, engagement), _("Only the provider's managers issue invoices."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    now = timezone.now()
    day = issue_date or timezone.localdate(now)
    try:
        with transaction.atomic():
            Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
            draft = invoice_draft(
                engagement=engagement,
                issue_date=day,
                period_start=period_start,
                period_end=period_end,
                expenses=expenses,
            )
            if not draft.billable:
                if draft.kind == InvoiceKind.MILESTONE:
                    raise DomainError(
                        _("No reached milestone is waiting to be invoiced."), field="milestones"
                    )
                raise DomainError(
                    _("No approved time in this period is waiting to be invoiced."), field="period_start"
                )
            sequence = _next_sequence(engagement.provider)
            invoice = Invoice(
                engagement=engagement,
                provider=engagement.provider,
                client=engagement.client,
                sequence=sequence,
                number=invoice_number(engagement.provider, day.year, sequence),
                kind=draft.kind,
                period_start=draft.period_start,
                period_end=draft.period_end,
                issue_date=day,
                currency=draft.currency,
                hours=draft.hours,
                work_total=draft.work_total,
                expenses_total=draft.expenses_total,
                total=draft.total,
                provider_name=engagement.provider.name,
                client_name=engagement.client.name,
                engagement_title=engagement.title,
                note=note,
                rounding_rule=ROUNDING_RULE,
                issued_by=user,
                issued_at=now,
            )
            invoice.full_clean()
            invoice.save()
            for position, line in enumerate(draft.lines, start=1):
                stored = InvoiceLine.objects.create(
                    invoice=invoice,
                    position=position,
                    kind=line.kind,
                    description=line.description[:300],
                    expert=line.expert,
                    milestone=line.milestone,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    rate_source=line.rate_source[:300],
                )
                InvoicedTime.objects.bulk_create(
                    [InvoicedTime(invoice=invoice, time_entry_id=pk, line=stored) for pk in line.entry_ids]
                )
                if line.milestone is not None:
                    InvoicedMilestone.objects.create(invoice=invoice, milestone=line.milestone)
            audit_record(
                event=AuditEvent.INVOICE_ISSUED,
                actor=user,
                organisation=engagement.client,
                object_type="invoice",
                object_id=invoice.pk,
                details={
                    "number": invoice.number,
                    "engagement_id": engagement.pk,
                    "provider_id": engagement.provider_id,
                    "total": str(invoice.total),
                    "currency": invoice.currency,
                    "lines": len(draft.lines),
                },
                at=now,
            )
    except IntegrityError:
        raise DomainError(
            _("Another invoice was issued at the same moment; reload and try again."), field="__all__"
        ) from None
    from kpo.economics.commercials.budget import budget_check

    budget_check(engagement=engagement)
    return invoice


# --- milestones -----------------------------------------------------------------------------------


@transaction.atomic
def milestone_create(
    *, user: User, engagement: Engagement, title: str, amount: Decimal, due_date: dt.date | None = None
) -> Milestone:
    """A payment milestone of a fixed-fee engagement (the client's admins and requesters)."""
    require(
        writes_client_terms(user, engagement), _("Only the client's admins and requesters add milestones.")
    )
    if engagement.pricing_model != PricingModel.FIXED_FEE:
        raise DomainError(_("Milestones belong to fixed-fee engagements."), field="pricing_model")
    milestone = Milestone(
        engagement=engagement, title=(title or "").strip(), amount=amount, due_date=due_date, created_by=user
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_reach(*, user: User, milestone: Milestone) -> Milestone:
    """The client confirms the milestone reached; the provider may then invoice it."""
    require(
        writes_client_terms(user, milestone.engagement),
        _("Only the client's admins and requesters confirm milestones."),
    )
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.reached_at is not None:
        raise DomainError(_("This milestone is already reached."), field="reached_at")
    locked.reached_at = timezone.now()
    locked.reached_by = user
    locked.save(update_fields=["reached_at", "reached_by", "updated_at"])
    from kpo.economics.commercials.budget import budget_check

    transaction.on_commit(lambda: budget_check(engagement=milestone.engagement))
    return locked


# --- documents --------------------------------------------------------------------------------------


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.order_by("position"))


def invoice_csv(invoice: Invoice) -> str:
    """The invoice as CSV: a header block, one row per line, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["invoice", invoice.number])
    writer.writerow(["issue_date", invoice.issue_date.isoformat()])
    writer.writerow(["provider", invoice.provider_name])
    writer.writerow(["client", invoice.client_name])
    writer.writerow(["engagement", invoice.engagement_title])
    if invoice.period_start and invoice.period_end:
        writer.writerow(["period", f"{invoice.period_start.isoformat()}/{invoice.period_end.isoformat()}"])
    writer.writerow(["currency", invoice.currency])
    writer.writerow([])
    writer.writerow(["position", "kind", "description", "quantity", "unit_price", "amount", "rate_source"])
    for line in invoice_lines(invoice):
        writer.writerow(
            [
                line.position,
                line.kind,
                line.description,
                line.quantity,
                line.unit_price,
                line.amount,
                line.rate_source,
            ]
        )
    writer.writerow([])
    writer.writerow(["work_total", invoice.work_total])
    writer.writerow(["expenses_total", invoice.expenses_total])
    writer.writerow(["total", invoice.total])
    writer.writerow(["rounding", invoice.rounding_rule])
    return _csv_safe(out.getvalue())


def _csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas in cells that start with =, +, - or @ (CSV injection)."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(
            [
                f"'{cell}"
                if cell[:1] in {"=", "+", "@"} or (cell[:1] == "-" and not _numeric(cell))
                else cell
                for cell in row
            ]
        )
    return out.getvalue()


def _numeric(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True


def _latin(text: object) -> str:
    return str(text).encode("latin-1", errors="replace").decode("latin-1")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a one-or-more-page A4 PDF (fpdf2, core fonts: Latin-1 text)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_title(_latin(f"Invoice {invoice.number}"))
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(f"Invoice {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    facts = [
        ("From", invoice.provider_name),
        ("To", invoice.client_name),
        ("Engagement", invoice.engagement_title),
        ("Issue date", invoice.issue_date.isoformat()),
        ("Currency", invoice.currency),
    ]
    if invoice.period_start and invoice.period_end:
        facts.append(("Period", f"{invoice.period_start.isoformat()} to {invoice.period_end.isoformat()}"))
    for label, value in facts:
        pdf.cell(35, 6, _latin(label))
        pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (90, 22, 32, 36)
    pdf.set_font("Helvetica", "B", 10)
    for width, head in zip(widths, ("Description", "Quantity", "Unit price", "Amount"), strict=True):
        pdf.cell(width, 7, head, border="B", align="L" if head == "Description" else "R")
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for line in invoice_lines(invoice):
        pdf.cell(widths[0], 6, _latin(line.description)[:55])
        pdf.cell(widths[1], 6, f"{line.quantity:,}", align="R")
        pdf.cell(widths[2], 6, f"{line.unit_price:,}", align="R")
        pdf.cell(widths[3], 6, f"{line.amount:,}", align="R", new_x="LMARGIN", new_y="NEXT")
        if line.rate_source:
            pdf.set_font("Helvetica", "", 7)
            pdf.cell(0, 4, _latin(line.rate_source)[:140], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 10)
    for name, amount in (
        ("Work", invoice.work_total),
        ("Expenses", invoice.expenses_total),
        (f"Total {invoice.currency}", invoice.total),
    ):
        pdf.cell(sum(widths[:3]), 7, _latin(name), align="R")
        pdf.cell(widths[3], 7, f"{amount:,}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _latin(invoice.rounding_rule))
    if invoice.note:
        pdf.ln(2)
        pdf.multi_cell(0, 4, _latin(invoice.note))
    return bytes(pdf.output())
