from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from kpo.engine.watermark import (
    BadDownloadId,
    Channel,
    DocxWatermarkError,
    Kind,
    PdfWatermarkError,
    normalise,
    sniff,
    tag,
    trace,
    watermark,
    watermark_text_as_pdf,
)
from kpo.engine.watermark.docx import document_text
from kpo.engine.watermark.pdf import INFO_KEY, read_pdf, render_pdf
from kpo.engine.watermark.text import HOMOGLYPHS, LOOK_ALIKE_CHANNELS

from .corpus import DA, EN, MARKDOWN

DAY = date(2025, 3, 14)


def zw_strip(text: str) -> str:
    return re.sub("[\u200b\u200c\u200d\u2060]", "", text)


def resave_pdf(data: bytes) -> bytes:
    """Re-save page by page with a fresh writer: the document information is lost."""
    writer = PdfWriter()
    for page in PdfReader(BytesIO(data)).pages:
        writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Quarterly review", 1)
    paragraph = document.add_paragraph("The company's revenue grew by 12 % in the ")
    paragraph.add_run("third quarter").bold = True
    paragraph.add_run(EN[EN.index(",") :])
    document.add_paragraph(DA)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Revenue growth in the advisory segment"
    table.cell(0, 1).text = "12 %"
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF -----------------------------------------------------------------------------------------


def test_text_pdf_extracts_exactly_and_traces_after_resave() -> None:
    data = watermark_text_as_pdf(
        EN + "\n\n" + DA, 4242, "Carol Jensen", DAY, title="Review", channels=LOOK_ALIKE_CHANNELS
    )
    content = read_pdf(data)
    assert tag(4242) in content.metadata
    assert "Confidential \u2014 prepared for Carol Jensen \u2014 2025-03-14" in normalise(content.pages[0])
    assert normalise(content.pages[0]).split()[:5] == EN.split()[:5]
    first = trace(data)
    assert first.code == 4242 and Channel.METADATA in first.channels_found

    resaved = resave_pdf(data)
    assert tag(4242) not in read_pdf(resaved).metadata
    result = trace(resaved)
    assert result.code == 4242 and Channel.METADATA not in result.channels_found

    # one paragraph copied out of the viewer, zero-width characters stripped on the way (the look-alikes
    # of a restricted copy name it)
    lines = read_pdf(resaved).pages[0].split("\n")
    cut = next(i for i, line in enumerate(lines) if "Virksomhedens" in normalise(line))
    paragraph = zw_strip("\n".join(lines[:cut]))
    assert normalise(paragraph).startswith("The company")
    assert trace(paragraph).code == 4242


def test_existing_pdf_gets_footer_metadata_and_a_traceable_text_layer() -> None:
    original = render_pdf((EN + "\n\n") * 12, title="Material")
    assert trace(original).channels_found == ()
    marked = watermark(
        original,
        Kind.PDF,
        download_id=77,
        recipient="Dave \u00d8deg\u00e5rd",
        issued_on=DAY,
        look_alikes=True,
    )
    content = read_pdf(marked)
    assert len(content.pages) == len(read_pdf(original).pages) >= 2
    for page in content.pages:
        assert "prepared for Dave \u00d8deg\u00e5rd" in normalise(page)
    assert trace(marked).code == 77
    # metadata gone and invisible characters stripped: the notice's homoglyphs still name it
    stripped = zw_strip("\f".join(read_pdf(resave_pdf(marked)).pages))
    assert trace(stripped).code == 77
    # the body of an existing PDF is not fingerprinted: a paragraph from it is not traceable
    assert trace(content.pages[0].split("\n")[0]).code is None


def test_pdf_output_is_deterministic() -> None:
    original = render_pdf(EN)
    one = watermark(original, "pdf", download_id=5, recipient="Carol", issued_on=DAY)
    two = watermark(original, "pdf", download_id=5, recipient="Carol", issued_on=DAY)
    assert one == two
    assert watermark_text_as_pdf(EN, 5, "Carol", DAY) == watermark_text_as_pdf(EN, 5, "Carol", DAY)


def test_bad_and_encrypted_pdfs_are_refused_with_a_reason() -> None:
    with pytest.raises(PdfWatermarkError, match="not a readable PDF"):
        watermark(b"%PDF-1.7 nothing here", "pdf", download_id=1, recipient="x", issued_on=DAY)
    writer = PdfWriter(clone_from=PdfReader(BytesIO(render_pdf(EN))))
    writer.encrypt("secret")
    out = BytesIO()
    writer.write(out)
    with pytest.raises(PdfWatermarkError, match="encrypted"):
        watermark(out.getvalue(), "pdf", download_id=1, recipient="x", issued_on=DAY)
    result = trace(out.getvalue())
    assert result.code is None and "encrypted" in result.detail


def test_metadata_key_is_custom_info_entry() -> None:
    marked = watermark(render_pdf(EN), "pdf", download_id=9, recipient="Carol", issued_on=DAY)
    info = PdfReader(BytesIO(marked)).metadata
    assert info is not None and info[INFO_KEY] == tag(9)


# -- DOCX ----------------------------------------------------------------------------------------


def test_docx_is_marked_in_body_footer_and_properties() -> None:
    original = make_docx()
    marked = watermark(original, Kind.DOCX, download_id=31337, recipient="Carol Jensen", issued_on=DAY)
    assert marked == watermark(original, "docx", download_id=31337, recipient="Carol Jensen", issued_on=DAY)
    document = docx.Document(BytesIO(marked))
    assert document.core_properties.identifier == tag(31337)
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "Confidential \u2014 prepared for Carol Jensen \u2014 2025-03-14" in normalise(footer)
    # visible text and run formatting unchanged
    assert normalise(document_text(marked)) == document_text(original)
    runs = document.paragraphs[1].runs
    assert [normalise(r.text) for r in runs] == [
        r.text for r in docx.Document(BytesIO(original)).paragraphs[1].runs
    ]
    assert runs[1].bold is True

    assert trace(marked).code == 31337
    assert trace(original).detail == "no fingerprint found"


def test_docx_paragraph_copied_out_traces_without_metadata() -> None:
    marked = watermark(
        make_docx(), "docx", download_id=2024, recipient="Carol", issued_on=DAY, look_alikes=True
    )
    danish = next(line for line in document_text(marked).split("\n") if "Virksomhedens" in normalise(line))
    assert trace(danish).code == 2024
    assert trace(zw_strip(danish)).code == 2024


def test_bad_docx_is_refused_with_a_reason() -> None:
    with pytest.raises(DocxWatermarkError):
        watermark(b"PK\x03\x04 not really", "docx", download_id=1, recipient="x", issued_on=DAY)


# -- text files and trace ------------------------------------------------------------------------


def test_text_file_round_trip_and_sniffing() -> None:
    marked = watermark(MARKDOWN.encode(), Kind.MARKDOWN, download_id=8, recipient="Carol", issued_on=DAY)
    assert trace(marked, filename="leak.md").code == 8
    assert sniff(marked, "leak.md") is Kind.MARKDOWN
    assert sniff(b"%PDF-1.7", None) is Kind.PDF
    assert sniff(make_docx()) is Kind.DOCX
    assert sniff(b"hello", "notes.TXT") is Kind.TEXT


def test_bad_download_id_is_refused() -> None:
    with pytest.raises(BadDownloadId):
        watermark(b"text", "text", download_id=-5, recipient="x", issued_on=DAY)


def test_conflicting_metadata_and_text_name_no_one() -> None:
    data = watermark_text_as_pdf(EN * 2, 1000, "Carol", DAY)
    content = read_pdf(data)
    from kpo.engine.watermark.trace import trace_text

    result = trace_text("\f".join(content.pages), metadata=tag(2000))
    assert result.code is None and set(result.candidates) == {1000, 2000}
    assert "conflict" in result.detail


def test_trace_never_guesses_on_unmarked_or_garbage_input() -> None:
    assert trace(EN).detail == "no fingerprint found"
    assert trace(b"\x00\x01\x02 binary junk").code is None
    assert trace("").code is None


def test_look_alike_letters_are_opt_in_for_every_kind() -> None:
    look_alikes = set(HOMOGLYPHS.values())
    text = ((EN + "\n\n") * 3).encode()
    plain = watermark(text, "markdown", download_id=9, recipient="Carol", issued_on=DAY)
    assert not look_alikes & set(plain.decode()) and trace(plain, "markdown").code == 9
    marked = watermark(text, "markdown", download_id=9, recipient="Carol", issued_on=DAY, look_alikes=True)
    assert look_alikes & set(marked.decode()) and trace(marked, "markdown").code == 9
    for kind, original in (("pdf", render_pdf(EN)), ("docx", make_docx())):
        copy = watermark(original, kind, download_id=9, recipient="Carol", issued_on=DAY)
        assert not look_alikes & set(_text_of(copy, kind)), kind
        assert trace(copy, kind).code == 9
        opted = watermark(original, kind, download_id=9, recipient="Carol", issued_on=DAY, look_alikes=True)
        assert look_alikes & set(_text_of(opted, kind)), kind


def _text_of(data: bytes, kind: str) -> str:
    return "\f".join(read_pdf(data).pages) if kind == "pdf" else document_text(data)
