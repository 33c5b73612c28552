import io
from datetime import UTC, datetime

from pypdf import PdfReader

from kpo.core.pdf import new_document


def test_a_document_prints_danish_letters_dashes_and_currency_signs_as_written() -> None:
    text = "Søren Ærø — 1.234,50 kr. € “Q3” Дмитрий"
    pdf = new_document("Faktura — Ærø", datetime(2026, 12, 7, tzinfo=UTC))
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    assert reader.pages[0].extract_text().strip() == text
    assert reader.metadata is not None and reader.metadata.title == "Faktura — Ærø"
