"""What an invoice says about its VAT and its payment, in the reader's language (page, PDF, CSV)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kpo.core.formatting import day, number
from kpo.economics.models import Invoice, VatTreatment


@dataclass(frozen=True)
class Party:
    label: str
    name: str
    address: str
    country: str
    vat_number: str


def invoice_parties(invoice: Invoice) -> list[Party]:
    """The seller and the buyer as the invoice snapshotted them."""
    return [
        Party(
            label,
            getattr(invoice, f"{side}_name"),
            getattr(invoice, f"{side}_address"),
            getattr(invoice, f"{side}_country"),
            getattr(invoice, f"{side}_vat_number"),
        )
        for label, side in ((_("From"), "provider"), (_("To"), "client"))
    ]


def vat_note(invoice: Invoice) -> str:
    """The sentence the VAT treatment requires on the invoice; "" for domestic VAT and older invoices."""
    if invoice.vat_treatment == VatTreatment.REVERSE_CHARGE:
        return _(
            "Reverse charge: VAT is to be accounted for by the buyer (Article 196 of Council "
            "Directive 2006/112/EC)."
        )
    if invoice.vat_treatment == VatTreatment.OUTSIDE_SCOPE:
        return _("Outside the scope of Danish VAT: no VAT is charged.")
    if not invoice.vat_treatment:
        return _("Issued before kpo stated VAT on invoices: no VAT was charged.")
    return ""


def vat_label(invoice: Invoice) -> str:
    """The VAT total's label: "VAT 25 %"."""
    return _("VAT %(rate)s %%") % {"rate": number(invoice.vat_rate, 2)}


def payment_text(invoice: Invoice) -> str:
    """ "Payment due 14 Nov 2026 (30 days net)"; "" for invoices issued before kpo stated terms."""
    if invoice.due_date is None or invoice.payment_terms_days is None:
        return ""
    days = invoice.payment_terms_days
    text = ngettext(
        "Payment due %(due)s (%(days)s day net).", "Payment due %(due)s (%(days)s days net).", days
    )
    return text % {"due": day(invoice.due_date), "days": days}


def terms_text(days: int) -> str:
    """ "30 days net"."""
    return ngettext("%(days)s day net", "%(days)s days net", days) % {"days": days}
