"""Issuing invoices.

Issuing numbers the invoice per provider (`<PROVIDER>-<year>-<00001>`, one sequence per provider),
snapshots every line of the draft (:func:`kpo.economics.commercials.selectors.invoices.invoice_draft`)
with its VAT and its texts in no language (`kpo.economics.commercials.line_texts`: read in the reader's),
the provider's and the client's names, addresses, countries and VAT numbers as they are that day, and the
provider's payment terms with the due date they give,
links the time entries and milestones it bills (each at most once, enforced by unique keys), audits
`invoice_issued` and checks the budget alerts. An issued invoice is never changed: there is no update
path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import require
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.economics.commercials import line_texts
from kpo.economics.commercials.access import manages_provider
from kpo.economics.commercials.money import ROUNDING_RULE
from kpo.economics.commercials.selectors.invoices import Expense, invoice_draft
from kpo.economics.commercials.services.budget import budget_check
from kpo.economics.models import Invoice, InvoicedMilestone, InvoicedTime, InvoiceKind, InvoiceLine
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement


def _next_sequence(provider: Organisation) -> int:
    Organisation.objects.select_for_update().filter(pk=provider.pk).first()
    last = Invoice.objects.filter(provider=provider).aggregate(last=Max("sequence"))["last"]
    return int(last or 0) + 1


def _parties(engagement: Engagement) -> tuple[Organisation, Organisation]:
    """The provider and the client as they are now (locked: an edit of their details waits for the issue)."""
    found = Organisation.objects.select_for_update().in_bulk([engagement.provider_id, engagement.client_id])
    return found[engagement.provider_id], found[engagement.client_id]


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
    day = issue_date or installation_date(now)
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
            seller, buyer = _parties(engagement)
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
                vat_treatment=draft.vat.treatment.value,
                vat_rate=draft.vat.rate,
                vat_total=draft.vat_total,
                gross_total=draft.gross_total,
                payment_terms_days=seller.payment_terms_days,
                due_date=day + dt.timedelta(days=seller.payment_terms_days),
                provider_name=seller.name,
                provider_address=seller.postal_address,
                provider_country=seller.country,
                provider_vat_number=seller.vat_number,
                client_name=buyer.name,
                client_address=buyer.postal_address,
                client_country=buyer.country,
                client_vat_number=buyer.vat_number,
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
                    description=line_texts.english(line.description)[:300],
                    expert=line.expert,
                    milestone=line.milestone,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    vat_rate=draft.vat.rate,
                    vat_amount=line.vat_amount,
                    rate_source=line_texts.english(line.rate_source)[:300],
                    wording=line_texts.wording(description=line.description, rate_source=line.rate_source),
                )
                InvoicedTime.objects.bulk_create(
                    [InvoicedTime(invoice=invoice, time_entry_id=pk, line=stored) for pk in line.entry_ids]
                )
                if line.milestone is not None:
                    InvoicedMilestone.objects.create(invoice=invoice, milestone=line.milestone)
            details = {
                "number": invoice.number,
                "engagement_id": engagement.pk,
                "provider_id": engagement.provider_id,
                "total": str(invoice.total),
                "vat": str(invoice.vat_total),
                "gross_total": str(invoice.gross_total),
                "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
                "currency": invoice.currency,
                "lines": len(draft.lines),
            }
            audit(
                user, AuditEvent.INVOICE_ISSUED, ("invoice", invoice.pk), engagement.client, details, at=now
            )
    except IntegrityError:
        raise DomainError(
            _("Another invoice was issued at the same moment; reload and try again."), field="__all__"
        ) from None
    budget_check(engagement=engagement)
    return invoice
