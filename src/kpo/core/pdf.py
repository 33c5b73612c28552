"""A4 PDF documents in a Unicode font shipped with kpo, so every name and sign prints as written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

FONT_FAMILY = "DejaVu"
_FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"


def new_document(title: str, created_at: datetime) -> FPDF:
    """An empty A4 document with kpo as author and the DejaVu family (regular and bold) registered."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT_FAMILY, "", str(_FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author("kpo")
    pdf.set_creation_date(created_at)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_font(FONT_FAMILY, "", 10)
    return pdf
