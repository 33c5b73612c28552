"""The signed NDA record as a PDF (fpdf2, core fonts).

No Unicode TTF ships with kpo, so text is transliterated to Latin-1 for the core fonts: accented
letters in Latin-1 stay as they are (æ, ø, å, é, ü), others lose their accents (NFKD), typographic
punctuation becomes its ASCII form, and anything else becomes "?". The record states that the
SHA-256 was computed over the exact original text, which it prints in full.
"""

from __future__ import annotations

import unicodedata

from django.http import HttpResponse
from django.utils import timezone
from fpdf import FPDF

from kpo.confidentiality.models import NdaSignature

_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "*",
    "\u20ac": "EUR",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
}


def latin1(text: str) -> str:
    """`text` in characters the PDF core fonts can draw (Latin-1), transliterated where needed."""
    out: list[str] = []
    for char in text:
        if char in _PUNCTUATION:
            out.append(_PUNCTUATION[char])
            continue
        if char in "\n\t" or (char >= " " and ord(char) < 256 and not (0x7F <= ord(char) < 0xA0)):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if ord(c) < 128 and not unicodedata.combining(c)
        )
        out.append(base if base and base.isprintable() else "?")
    return "".join(out)


def signature_pdf(signature: NdaSignature) -> bytes:
    version = signature.version
    template = version.template
    signed_at = timezone.localtime(signature.signed_at)
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"NDA signature {signature.pk}"))
    pdf.set_author("kpo")
    pdf.set_creation_date(signature.signed_at)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(
        0, 8, latin1(f"Signed non-disclosure agreement: {template.title}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
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
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 6, latin1(label))
        pdf.set_font(
            "Courier" if label.startswith("SHA") else "Helvetica", "", 9 if label.startswith("SHA") else 10
        )
        pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        0,
        4.5,
        "The SHA-256 was computed over the exact UTF-8 text shown below as signed in the browser. "
        "Characters outside Latin-1 are transliterated in this PDF only.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Text signed", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, latin1(version.text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def signature_pdf_response(signature: NdaSignature) -> HttpResponse:
    """The signed record as a private attachment (the page and the API)."""
    response = HttpResponse(signature_pdf(signature), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nda-signature-{signature.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
