"""The signed NDA record as a PDF (`kpo.core.pdf`: DejaVu Sans, so the text prints exactly as signed).

The record states that the SHA-256 was computed over the exact original text, which it prints in full.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from kpo.confidentiality.models import NdaSignature
from kpo.core.pdf import FONT_FAMILY, new_document


def signature_pdf(signature: NdaSignature) -> bytes:
    version = signature.version
    template = version.template
    signed_at = timezone.localtime(signature.signed_at)
    pdf = new_document(f"NDA signature {signature.pk}", signature.signed_at)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, f"Signed non-disclosure agreement: {template.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    facts = [
        ("Client", template.client.name),
        ("Agreement", f"{template.title}, version {version.number}"),
        (
            "Signed by",
            f"{signature.typed_name} (account "
            f"{signature.signer.get_username() if signature.signer else 'since deleted'})",
        ),
        ("Signed at", signed_at.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)")),
        ("From IP address", signature.ip or "not recorded"),
        ("SHA-256 of the text signed", signature.text_sha256),
        ("Record", f"signature {signature.pk}"),
    ]
    for label, value in facts:
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(55, 6, label)
        pdf.set_font(FONT_FAMILY, "", 8 if label.startswith("SHA") else 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 8)
    pdf.multi_cell(
        0,
        4.5,
        "The SHA-256 was computed over the exact UTF-8 text shown below as signed in the browser.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.cell(0, 7, "Text signed", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(0, 5, version.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def signature_pdf_response(signature: NdaSignature) -> HttpResponse:
    """The signed record as a private attachment (the page and the API)."""
    response = HttpResponse(signature_pdf(signature), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nda-signature-{signature.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
