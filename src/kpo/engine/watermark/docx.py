"""Per-recipient DOCX copies: visible footer, fingerprinted body text, core-properties tag.

The body is read as Word shows it when copied: the text of every paragraph (tables and text boxes
included, in document order), tabs as tabs, line breaks as newlines, paragraphs joined by
newlines. That text is fingerprinted with the text channels and the edits are written back into
the runs they fall in, so run formatting is untouched. The visible footer line is added to every
section's footer (first-page and even-page footers too, where the document uses them), and the
metadata tag goes into the core property ``identifier``.

Bytes in, bytes out, deterministic: zip entries get a fixed timestamp and the core property
``modified`` is set to the issue date that is passed in (python-docx would otherwise stamp the
current time into documents that have no core properties).
"""

from __future__ import annotations

import zipfile
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from kpo.engine.watermark import text as textmark
from kpo.engine.watermark import wording as wordmark
from kpo.engine.watermark.active import office_active_content
from kpo.engine.watermark.code import Channel, tag

_PIECE_TAGS = (qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"))
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class DocxWatermarkError(ValueError):
    """The file is not a readable DOCX."""


def _open(data: bytes) -> Any:
    try:
        return docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a bad package
        raise DocxWatermarkError(f"not a readable DOCX: {exc}") from exc


@dataclass
class _BodyText:
    text: str
    pieces: list[tuple[int, Any]]
    """(offset in ``text``, ``w:t`` element) for every editable piece, in order."""
    lengths: list[int]
    """The length of each piece's text (read once: lxml copies ``element.text`` on every read)."""


def _body_text(root: Any) -> _BodyText:
    paragraphs: list[list[tuple[str, Any]]] = []
    for element in root.iter(*_PIECE_TAGS):
        if element.tag == _PIECE_TAGS[0]:
            paragraphs.append([])
            continue
        if not paragraphs:
            paragraphs.append([])
        if element.tag == _PIECE_TAGS[1]:
            paragraphs[-1].append((element.text or "", element))
        elif element.tag == _PIECE_TAGS[2]:
            paragraphs[-1].append(("\t", None))
        else:
            paragraphs[-1].append(("\n", None))
    chunks: list[str] = []
    pieces: list[tuple[int, Any]] = []
    lengths: list[int] = []
    offset = 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            chunks.append("\n")
            offset += 1
        for value, element in paragraph:
            if element is not None:
                pieces.append((offset, element))
                lengths.append(len(value))
            chunks.append(value)
            offset += len(value)
    return _BodyText("".join(chunks), pieces, lengths)


def _write_back(body: _BodyText, edits: list[textmark.Edit]) -> None:
    """Write each piece's edits into its element: every piece's new text is built once."""
    by_piece: dict[int, list[textmark.Edit]] = {}
    starts = [offset for offset, _ in body.pieces]
    for edit in edits:
        # the piece holding the first character the edit touches (insertions: the next character)
        index = _piece_for(starts, body.lengths, edit.start)
        if index is not None:
            by_piece.setdefault(index, []).append(edit)
    for index, piece_edits in by_piece.items():
        offset, element = body.pieces[index]
        local = [textmark.Edit(e.start - offset, e.end - offset, e.new) for e in piece_edits]
        piece = body.text[offset : offset + body.lengths[index]]
        element.text = textmark.apply(piece, local)


def _wording_edits(body: _BodyText, download_id: int, language: str) -> list[textmark.Edit]:
    """The wording choices of one download, as edits, for the points inside a single piece."""
    starts = [offset for offset, _ in body.pieces]
    edits: list[textmark.Edit] = []
    for point in wordmark.choice_points(body.text, language):
        pick = wordmark.choice(download_id, point)
        if pick == point.original:
            continue
        index = _piece_for(starts, body.lengths, point.start)
        if index is None or point.end > starts[index] + body.lengths[index]:
            continue
        edits.append(textmark.Edit(point.start, point.end, point.alternatives[pick]))
    return edits


def _piece_for(starts: list[int], lengths: list[int], position: int) -> int | None:
    index = bisect_right(starts, position) - 1
    if index < 0:
        return None
    return index if position < starts[index] + lengths[index] else None


def _normalised_zip(data: bytes) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _add_footer(footer: Any, line: str) -> None:
    existing = footer.paragraphs
    lone_empty = len(existing) == 1 and not existing[0].text.strip()
    paragraph = existing[0] if lone_empty else footer.add_paragraph()
    run = paragraph.add_run(line)
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def watermark_docx(
    data: bytes,
    download_id: int,
    recipient: str,
    issued_on: date,
    channels: Iterable[Channel] = textmark.DEFAULT_CHANNELS,
    wording: str | None = None,
) -> bytes:
    """A per-recipient copy of a DOCX: fingerprinted body, visible footer, identifier tag.

    ``wording`` (a language code) also varies the body's wording (``wording.vary``), for choice
    points that lie within one run of text. A DOCX with active content (macros, external
    relationships: ``active``) is refused."""
    try:
        reason = office_active_content(data)
    except ValueError as error:
        raise DocxWatermarkError(str(error)) from error
    if reason is not None:
        raise DocxWatermarkError(f"the document holds active content ({reason.value})")
    document = _open(data)
    body = _body_text(document.element.body)
    clean = textmark.strip_clusters(body.text)
    if clean != body.text:
        # a copy of an already marked file: drop the old clusters piece by piece first
        for _offset, element in body.pieces:
            element.text = textmark.strip_clusters(element.text or "")
        body = _body_text(document.element.body)
    if wording:
        _write_back(body, _wording_edits(body, download_id, wording))
        body = _body_text(document.element.body)
    _write_back(body, textmark.plan(body.text, download_id, channels))

    line = textmark.embed(textmark.footer_line(recipient, issued_on), download_id, channels)
    odd_even = bool(document.settings.odd_and_even_pages_header_footer)
    for number, section in enumerate(document.sections):
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        if odd_even:
            footers.append(section.even_page_footer)
        for footer in footers:
            if number == 0 or not footer.is_linked_to_previous:
                _add_footer(footer, line)

    properties = document.core_properties
    properties.identifier = tag(download_id)
    properties.modified = datetime.combine(issued_on, time(), tzinfo=UTC)
    out = BytesIO()
    document.save(out)
    return _normalised_zip(out.getvalue())


@dataclass(frozen=True)
class DocxContent:
    metadata: str
    body: str
    footers: str


def read_docx(data: bytes) -> DocxContent:
    document = _open(data)
    properties = document.core_properties
    metadata = "\n".join(
        str(value or "")
        for value in (
            properties.identifier,
            properties.keywords,
            properties.comments,
            properties.subject,
            properties.title,
            properties.category,
        )
    )
    footers: list[str] = []
    for section in document.sections:
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            if footer.is_linked_to_previous:
                continue
            footers.append("\n".join(p.text for p in footer.paragraphs))
    return DocxContent(
        metadata=metadata, body=_body_text(document.element.body).text, footers="\n".join(footers)
    )


def document_text(data: bytes) -> str:
    """The body text as a reader copying it out of Word would get it."""
    return _body_text(_open(data).element.body).text
