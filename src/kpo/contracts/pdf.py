"""A statement of work as an A4 PDF in the reader's language: its sections, items and signatures.

Short documents, rendered in the request like invoices and NDA records.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from kpo.contracts.models import SowStatus, SowVersion
from kpo.core.pdf import FONT_FAMILY, new_document

_LINE = 5.0


def _heading(pdf: FPDF, text: str, size: int = 12) -> None:
    pdf.set_font(FONT_FAMILY, "B", size)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT_FAMILY, "", 10)


def sow_pdf(version: SowVersion) -> bytes:
    engagement = version.sow.engagement
    title = _("Statement of work: %(title)s") % {"title": engagement.title}
    pdf = new_document(title, version.approved_at or version.created_at)
    pdf.add_page()
    _heading(pdf, title, 15)
    digest = _("SHA-256 of the content")
    facts = [
        (_("Client"), engagement.client.name),
        (_("Provider"), engagement.provider.name),
        (_("Version"), str(version.number)),
        (_("Status"), str(version.get_status_display())),
        (digest, version.content_sha256),
    ]
    if version.approved_at:
        facts.append((_("Approved"), timezone.localtime(version.approved_at).strftime("%Y-%m-%d %H:%M %Z")))
    for label, value in facts:
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(55, 6, label)
        pdf.set_font(FONT_FAMILY, "", 8 if label == digest else 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT", align="L")
    if version.status != SowStatus.APPROVED:
        pdf.ln(2)
        _heading(pdf, _("Not approved: this version is not in force."), 11)
    if version.change_reason:
        pdf.ln(2)
        _heading(pdf, _("Reason for the change"))
        pdf.multi_cell(0, _LINE, version.change_reason, new_x="LMARGIN", new_y="NEXT", align="L")
    sections = [
        (_("Scope"), version.scope),
        (_("Deliverables"), version.deliverables),
        (_("Acceptance criteria"), version.acceptance_criteria),
        (_("Milestones"), version.milestones),
        (_("Assumptions"), version.assumptions),
        (_("Change procedure"), version.change_procedure),
    ]
    items = list(version.items.all())
    for name, text in sections:
        pdf.ln(3)
        _heading(pdf, name)
        pdf.multi_cell(0, _LINE, text or "—", new_x="LMARGIN", new_y="NEXT", align="L")
        if name == _("Deliverables") and items:
            pdf.ln(1)
            for item in items:
                pdf.multi_cell(
                    0, _LINE, f"{item.code}: {item.title}", new_x="LMARGIN", new_y="NEXT", align="L"
                )
    pdf.ln(4)
    _heading(pdf, _("Signatures"))
    approvals = list(version.approvals.all())
    if not approvals:
        pdf.multi_cell(0, _LINE, _("Not signed yet."), new_x="LMARGIN", new_y="NEXT", align="L")
    for approval in approvals:
        when = timezone.localtime(approval.signed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        line = _("%(side)s: %(name)s, signed %(when)s over SHA-256 %(hash)s") % {
            "side": approval.get_side_display(),
            "name": approval.typed_name,
            "when": when,
            "hash": approval.content_sha256,
        }
        pdf.multi_cell(0, _LINE, line, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def sow_pdf_response(version: SowVersion) -> HttpResponse:
    """The version's PDF as a download (pages and the API answer alike)."""
    response = HttpResponse(sow_pdf(version), content_type="application/pdf")
    name = f"sow-{version.sow.engagement_id}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
