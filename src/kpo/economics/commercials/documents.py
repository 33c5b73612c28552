"""An issued invoice as a file: CSV (spreadsheet-safe) and an A4 PDF, their texts in the reader's language
(the CSV's keys and figures are plain: ISO dates, decimal points)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from fpdf import FPDF

from kpo.core.formatting import country, day, money, number
from kpo.core.pdf import FONT_FAMILY, new_document
from kpo.core.spreadsheets import csv_safe
from kpo.economics.commercials.selectors.invoices import invoice_lines
from kpo.economics.commercials.vat_text import (
    Party,
    invoice_parties,
    payment_text,
    terms_text,
    vat_label,
    vat_note,
)
from kpo.economics.models import Invoice


def invoice_csv(invoice: Invoice) -> str:
    """The invoice as CSV: a header block, one row per line, then the totals (net, VAT, gross)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["invoice", invoice.number])
    writer.writerow(["issue_date", invoice.issue_date.isoformat()])
    writer.writerow(["due_date", invoice.due_date.isoformat() if invoice.due_date else ""])
    writer.writerow(["payment_terms_days", invoice.payment_terms_days or ""])
    for side in ("provider", "client"):
        writer.writerow([side, getattr(invoice, f"{side}_name")])
        writer.writerow([f"{side}_address", getattr(invoice, f"{side}_address")])
        writer.writerow([f"{side}_country", getattr(invoice, f"{side}_country")])
        writer.writerow([f"{side}_vat_number", getattr(invoice, f"{side}_vat_number")])
    writer.writerow(["engagement", invoice.engagement_title])
    if invoice.period_start and invoice.period_end:
        writer.writerow(["period", f"{invoice.period_start.isoformat()}/{invoice.period_end.isoformat()}"])
    writer.writerow(["currency", invoice.currency])
    writer.writerow(["vat_treatment", invoice.vat_treatment])
    writer.writerow(["vat_rate", invoice.vat_rate])
    writer.writerow([])
    writer.writerow(
        [
            "position",
            "kind",
            "description",
            "quantity",
            "unit_price",
            "amount",
            "vat_rate",
            "vat",
            "rate_source",
        ]
    )
    for line in invoice_lines(invoice):
        writer.writerow(
            [
                line.position,
                line.kind,
                line.description_text,
                line.quantity,
                line.unit_price,
                line.amount,
                line.vat_rate,
                line.vat_amount,
                line.rate_source_text,
            ]
        )
    writer.writerow([])
    writer.writerow(["work_total", invoice.work_total])
    writer.writerow(["expenses_total", invoice.expenses_total])
    writer.writerow(["total", invoice.total])
    writer.writerow(["vat_total", invoice.vat_total])
    writer.writerow(["gross_total", invoice.gross_total])
    writer.writerow(["vat_note", vat_note(invoice)])
    writer.writerow(["rounding", _(invoice.rounding_rule)])
    return csv_safe(out.getvalue())


# --- PDF -----------------------------------------------------------------------------------------------

WIDTHS = (78, 18, 30, 22, 32)  # description, quantity, unit price, VAT rate, amount: 180 mm


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` mm in the current font."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _party(party: Party) -> str:
    lines = [party.name, *party.address.splitlines()]
    if party.country:
        lines.append(country(party.country))
    if party.vat_number:
        lines.append(_("VAT no. %(number)s") % {"number": party.vat_number})
    return "\n".join(lines)


def _parties(pdf: FPDF, invoice: Invoice) -> None:
    top = pdf.get_y()
    bottom = top
    for x, party in zip((pdf.l_margin, pdf.l_margin + 95), invoice_parties(invoice), strict=True):
        pdf.set_xy(x, top)
        pdf.set_font(FONT_FAMILY, "B", 9)
        pdf.cell(85, 5, party.label, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.multi_cell(85, 5, _party(party), new_x="LEFT", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)


def _facts(pdf: FPDF, invoice: Invoice) -> None:
    facts = [
        (_("Invoice number"), invoice.number),
        (_("Issue date"), day(invoice.issue_date)),
    ]
    if invoice.due_date:
        facts.append((_("Due date"), day(invoice.due_date)))
    if invoice.payment_terms_days is not None:
        facts.append((_("Payment terms"), terms_text(invoice.payment_terms_days)))
    facts.append((_("Engagement"), invoice.engagement_title))
    if invoice.period_start and invoice.period_end:
        facts.append((_("Period"), f"{day(invoice.period_start)} \N{EN DASH} {day(invoice.period_end)}"))
    facts.append((_("Currency"), invoice.currency))
    for label, value in facts:
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(52, 6, label)
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _lines(pdf: FPDF, invoice: Invoice) -> None:
    heads = (_("Description"), _("Quantity"), _("Unit price"), _("VAT rate"), _("Amount"))
    pdf.set_font(FONT_FAMILY, "B", 9)
    for width, head in zip(WIDTHS, heads, strict=True):
        pdf.cell(width, 7, head, border="B", align="L" if width == WIDTHS[0] else "R")
    pdf.ln()
    for line in invoice_lines(invoice):
        pdf.set_font(FONT_FAMILY, "", 9)
        pdf.cell(WIDTHS[0], 6, _fit(pdf, line.description_text, WIDTHS[0]))
        pdf.cell(WIDTHS[1], 6, number(line.quantity, 2), align="R")
        pdf.cell(WIDTHS[2], 6, money(line.unit_price, invoice.currency), align="R")
        pdf.cell(WIDTHS[3], 6, f"{number(line.vat_rate, 2)} %", align="R")
        pdf.cell(WIDTHS[4], 6, money(line.amount, invoice.currency), align="R", new_x="LMARGIN", new_y="NEXT")
        if source := line.rate_source_text:
            pdf.set_font(FONT_FAMILY, "", 7)
            pdf.multi_cell(sum(WIDTHS[:3]), 3.5, source, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _totals(pdf: FPDF, invoice: Invoice) -> None:
    rows = [(_("Work"), invoice.work_total, False)]
    if invoice.expenses_total:
        rows.append((_("Expenses"), invoice.expenses_total, False))
    rows += [
        (_("Total excluding VAT"), invoice.total, False),
        (vat_label(invoice), invoice.vat_total, False),
        (_("Total including VAT"), invoice.gross_total, True),
    ]
    for label, amount, strong in rows:
        pdf.set_font(FONT_FAMILY, "B" if strong else "", 10)
        pdf.cell(sum(WIDTHS[:-1]), 7, label, align="R")
        pdf.cell(WIDTHS[-1], 7, money(amount, invoice.currency), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as A4 pages: seller and buyer with addresses and VAT numbers, dates and terms, the
    lines with their VAT rate, net, VAT and gross totals, the VAT note and the payment due."""
    title = _("Invoice %(number)s") % {"number": invoice.number}
    pdf = new_document(title, invoice.issued_at)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _parties(pdf, invoice)
    _facts(pdf, invoice)
    _lines(pdf, invoice)
    _totals(pdf, invoice)
    pdf.set_font(FONT_FAMILY, "", 9)
    for text in (vat_note(invoice), payment_text(invoice), invoice.note):
        if text:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "", 7)
    pdf.multi_cell(0, 3.5, _(invoice.rounding_rule), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
