"""An issued invoice as a file: CSV (spreadsheet-safe) and an A4 PDF."""

from __future__ import annotations

import csv
import io

from kpo.core.spreadsheets import csv_safe
from kpo.economics.commercials.selectors.invoices import invoice_lines
from kpo.economics.models import Invoice


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
    return csv_safe(out.getvalue())


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
