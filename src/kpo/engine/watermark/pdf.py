"""Per-recipient PDF copies: visible footer, fingerprinted text layer, metadata tag.

Two ways in:

* ``watermark_pdf`` takes any existing PDF. Its own text streams are left alone (rewriting the
  text of an arbitrary PDF is not reliable), so the fingerprint goes on top of every page: the
  visible footer line ("Confidential — prepared for <name> — <date>") and, below it, an
  *invisible* notice paragraph (text render mode 3: not painted, but extracted by pypdf,
  pdftotext and copy-all), both fingerprinted with the text channels; plus a ``/KPOFingerprint``
  entry in the document information dictionary. A leaked *file* is traced by the metadata or by
  the footer/notice text of any page; a paragraph copied out of the body of such a PDF carries
  no fingerprint.
* ``watermark_text_as_pdf`` renders plain text or Markdown source (the platform's own material)
  to PDF with the body itself fingerprinted, so paragraphs copied out of it trace too.

Text is drawn in the standard Helvetica font (no embedded font file) through a per-document
encoding: each character gets a one-byte code whose glyph is the visible look-alike (no-break
space → space, Cyrillic homoglyph → Latin letter, zero-width → a space glyph of width 0) and whose
``/ToUnicode`` entry is the real character, so what is extracted is exactly the fingerprinted
text. Helvetica covers Western European text (WinAnsi); other characters render as "?" (but
still extract correctly).

Everything here is bytes in, bytes out and deterministic: no clock (the date is passed in), no
randomness.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from pypdf import PdfReader, Transformation
from pypdf._codecs.adobe_glyphs import adobe_glyphs
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf.errors import PdfReadError
from pypdf.generic import ByteStringObject, FloatObject, StreamObject, TextStringObject

from kpo.engine.watermark import text as textmark
from kpo.engine.watermark import wording as wordmark
from kpo.engine.watermark.active import PdfCleaningError, inert_writer
from kpo.engine.watermark.code import Channel, tag

INFO_KEY = "/KPOFingerprint"
A4 = (595.0, 842.0)
_MARGIN = 56.0
_BODY_SIZE = 10.0
_LEADING = 13.0
_FOOTER_SIZE = 8.0
_NOTICE_SIZE = 2.0

_WIDTHS: dict[str, float] = dict(CORE_FONT_METRICS["Helvetica"].character_widths)
_GLYPH_NAMES: dict[str, str] = {}
for _name, _char in adobe_glyphs.items():
    # the standard names ("oslash", "Euro"), not the numbered aliases ("a248", "afii10065")
    _current = _GLYPH_NAMES.get(_char)
    if _current is None or (_name[1:].isalpha(), -len(_name)) > (_current[1:].isalpha(), -len(_current)):
        _GLYPH_NAMES[_char] = _name
_ZERO_WIDTH = frozenset(textmark.ZW_DIGITS) | {"\ufeff", "\u200e", "\u200f"}


class PdfWatermarkError(ValueError):
    """The PDF cannot be read or marked (damaged, encrypted)."""


def notice_text(recipient: str, issued_on: date) -> str:
    name = " ".join(recipient.split()) or "an unnamed recipient"
    return (
        f"This copy was prepared for {name} on {issued_on.isoformat()} under a confidentiality "
        "agreement and is licensed to this recipient only. Do not copy, forward, publish or share "
        "it, in whole or in part, with anyone who is not authorised to receive it. Every copy is "
        "marked individually, so a copy that leaves the engagement can be traced back to the "
        "person it was issued to."
    )


# -- a small font with a per-document encoding ---------------------------------------------------


class _Font:
    """Helvetica with a per-document one-byte encoding and a ToUnicode map."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self._glyphs: dict[int, tuple[str, float, str]] = {}
        self._free = [*range(128, 256), *range(1, 32), 127]

    @staticmethod
    def _glyph(char: str) -> tuple[str, float]:
        if char in _ZERO_WIDTH:
            return "space", 0.0
        shown = textmark.LATIN_OF.get(char, " " if char == textmark.NBSP else char)
        if shown in _WIDTHS and shown in _GLYPH_NAMES:
            return _GLYPH_NAMES[shown].lstrip("/"), _WIDTHS[shown]
        return "question", _WIDTHS["?"]

    def code(self, char: str) -> int:
        found = self._codes.get(char)
        if found is not None:
            return found
        if " " <= char <= "~":
            number = ord(char)
        elif self._free:
            number = self._free.pop(0)
        else:
            return self.code("?")
        glyph, width = self._glyph(char)
        self._codes[char] = number
        self._glyphs[number] = (glyph, width, char)
        return number

    def width(self, text: str, size: float) -> float:
        return sum(self._glyph(c)[1] for c in text) * size / 1000

    def encode(self, text: str) -> bytes:
        return bytes(self.code(c) for c in text)

    def objects(self) -> tuple[bytes, bytes]:
        """The font dictionary (with the ToUnicode stream as object reference ``{tu}``) and CMap."""
        numbers = sorted(self._glyphs)
        first, last = (numbers[0], numbers[-1]) if numbers else (32, 32)
        widths = [self._glyphs[n][1] if n in self._glyphs else 0 for n in range(first, last + 1)]
        differences = " ".join(f"{n} /{self._glyphs[n][0]}" for n in numbers)
        font = (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
            f" /FirstChar {first} /LastChar {last}"
            f" /Widths [{' '.join(_num(w) for w in widths)}]"
            f" /Encoding << /Type /Encoding /Differences [{differences}] >>"
            " /ToUnicode {tu} >>"
        ).encode("ascii")
        lines = []
        for n in numbers:
            units = self._glyphs[n][2].encode("utf-16-be").hex().upper()
            lines.append(f"<{n:02X}> <{units}>")
        chunks = [lines[i : i + 100] for i in range(0, len(lines), 100)]
        body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
        cmap = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /KPO-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
            f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode("ascii")
        return font, cmap


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _pdf_string(data: bytes) -> bytes:
    out = bytearray(b"(")
    for byte in data:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    out += b")"
    return bytes(out)


def _text_string(value: str) -> bytes:
    if value.isascii():
        return _pdf_string(value.encode("ascii"))
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


# -- layout --------------------------------------------------------------------------------------


def _wrap(font: _Font, line: str, width: float, size: float) -> list[str]:
    """Greedy wrap at spaces; at a no-break space only when a space would leave the line short.

    Fingerprinted text has a no-break space in about half of its gaps, so keeping them all would
    leave ragged lines; a gap broken at the end of a line just loses that one bit.
    """
    out: list[str] = []
    rest = line
    while font.width(rest, size) > width:
        fit = _fit(font, rest, width, size)
        space = rest.rfind(" ", 0, fit + 1)
        nbsp = rest.rfind(textmark.NBSP, 0, fit + 1)
        full_enough = space > 0 and font.width(rest[:space], size) >= 0.8 * width
        cut = space if full_enough else max(space, nbsp)
        if cut <= 0:
            out.append(rest[:fit])
            rest = rest[fit:]
        else:
            out.append(rest[:cut])
            rest = rest[cut + 1 :]
    out.append(rest)
    return out


def _fit(font: _Font, text: str, width: float, size: float) -> int:
    """How many leading characters of ``text`` fit in ``width`` (at least one)."""
    used = 0.0
    for count, char in enumerate(text):
        used += font.width(char, size)
        if used > width:
            return max(1, count)
    return len(text)


@dataclass(frozen=True)
class _Stamp:
    footer: str
    notice: str


def _stamp_ops(font: _Font, stamp: _Stamp) -> list[bytes]:
    ops = [
        b"q 0.35 g BT /KPOF1 %s Tf 1 0 0 1 %s 30 Tm %s Tj ET Q"
        % (_num(_FOOTER_SIZE).encode(), _num(_MARGIN / 2).encode(), _pdf_string(font.encode(stamp.footer)))
    ]
    # invisible (render mode 3), tiny, one line: extracted by text tools, never painted
    ops.append(
        b"q BT 3 Tr /KPOF1 %s Tf 1 0 0 1 %s 12 Tm %s Tj ET Q"
        % (_num(_NOTICE_SIZE).encode(), _num(_MARGIN / 2).encode(), _pdf_string(font.encode(stamp.notice)))
    )
    return ops


def _layout_pages(font: _Font, text: str, page: tuple[float, float]) -> list[list[bytes]]:
    width, height = page
    usable = width - 2 * _MARGIN
    per_page = max(1, int((height - 2 * _MARGIN - 20) // _LEADING))
    lines: list[str] = []
    for source in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(_wrap(font, source.expandtabs(4), usable, _BODY_SIZE))
    pages: list[list[bytes]] = []
    for start in range(0, max(1, len(lines)), per_page):
        ops: list[bytes] = []
        y = height - _MARGIN
        for line in lines[start : start + per_page]:
            if line.strip():
                ops.append(
                    b"BT /KPOF1 %s Tf 1 0 0 1 %s %s Tm %s Tj ET"
                    % (
                        _num(_BODY_SIZE).encode(),
                        _num(_MARGIN).encode(),
                        _num(y).encode(),
                        _pdf_string(font.encode(line)),
                    )
                )
            y -= _LEADING
        pages.append(ops)
    return pages


# -- a minimal PDF writer ------------------------------------------------------------------------


def _assemble(
    page_ops: Sequence[Sequence[bytes]],
    font: _Font,
    page: tuple[float, float],
    info: Mapping[str, str],
) -> bytes:
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        packed = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font_dict, cmap = font.objects()
    cmap_id = add(stream(cmap))
    font_id = add(font_dict.replace(b"{tu}", b"%d 0 R" % cmap_id))
    kids: list[int] = []
    for ops in page_ops:
        content_id = add(stream(b"\n".join(ops)))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R"
                b" /Resources << /Font << /KPOF1 %d 0 R >> >> >>"
                % (pages_id, _num(page[0]).encode(), _num(page[1]).encode(), content_id, font_id)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    entries = b" ".join(
        b"/%s %s" % (key.lstrip("/").encode("ascii"), _text_string(value)) for key, value in info.items()
    )
    info_id = add(b"<< " + entries + b" >>")

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info_id,
        xref,
    )
    return bytes(out)


def render_pdf(
    text: str,
    *,
    title: str = "",
    stamp: _Stamp | None = None,
    info: Mapping[str, str] | None = None,
    page: tuple[float, float] = A4,
) -> bytes:
    """Render text as-is (every character kept, fingerprint characters included) to A4 pages."""
    font = _Font()
    pages = _layout_pages(font, text, page)
    if stamp is not None:
        for ops in pages:
            ops.extend(_stamp_ops(font, stamp))
    meta = {"/Title": title} if title else {}
    meta.update(info or {})
    return _assemble(pages, font, page, meta)


def _stamp(download_id: int, recipient: str, issued_on: date, channels: Iterable[Channel]) -> _Stamp:
    footer = textmark.footer_line(recipient, issued_on)
    marked = textmark.embed(footer + "\n" + notice_text(recipient, issued_on), download_id, channels)
    marked_footer, marked_notice = marked.split("\n", 1)
    return _Stamp(marked_footer, marked_notice)


def watermark_text_as_pdf(
    text: str,
    download_id: int,
    recipient: str,
    issued_on: date,
    *,
    title: str = "",
    channels: Iterable[Channel] = textmark.DEFAULT_CHANNELS,
    wording: str | None = None,
) -> bytes:
    """Plain text or Markdown rendered to PDF with the body fingerprinted, footer and metadata;
    ``wording`` (a language code) varies the body's wording first (``wording.vary``)."""
    if wording:
        text = wordmark.vary(text, download_id, wording)
    body = textmark.embed(text, download_id, channels)
    return render_pdf(
        body,
        title=title,
        stamp=_stamp(download_id, recipient, issued_on, channels),
        info={INFO_KEY: tag(download_id)},
    )


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise PdfWatermarkError("the PDF is encrypted; an encrypted PDF cannot be marked or traced")
        _ = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        if isinstance(exc, PdfWatermarkError):
            raise
        raise PdfWatermarkError(f"not a readable PDF: {exc}") from exc
    return reader


def watermark_pdf(
    data: bytes,
    download_id: int,
    recipient: str,
    issued_on: date,
    channels: Iterable[Channel] = textmark.DEFAULT_CHANNELS,
    wording: str | None = None,
) -> bytes:
    """An existing PDF with footer + invisible fingerprinted notice on every page, and metadata;
    its active content (actions, JavaScript, embedded files: ``active``) removed. ``wording`` (a
    language code) also varies the wording of the body's text layer where its fonts allow
    (``_vary_body``), so a paragraph copied or OCR'd out of the body traces too."""
    reader = _open(data)
    try:
        writer, _removed = inert_writer(reader)
    except PdfCleaningError as error:
        raise PdfWatermarkError(str(error)) from error
    if wording:
        _vary_body(writer.pages, download_id, wording)
    stamp = _stamp(download_id, recipient, issued_on, channels)
    overlays: dict[tuple[float, float], PdfReader] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (float(box.width), float(box.height))
        if size not in overlays:
            font = _Font()
            ops = _stamp_ops(font, stamp)
            overlays[size] = PdfReader(BytesIO(_assemble([ops], font, size, {})))
        page.merge_transformed_page(
            overlays[size].pages[0], Transformation().translate(float(box.left), float(box.bottom))
        )
    writer.add_metadata({INFO_KEY: tag(download_id)})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class PdfContent:
    metadata: str
    """Every document-information value and the XMP packet, for a tag search."""
    pages: tuple[str, ...]


def read_pdf(data: bytes) -> PdfContent:
    """Metadata and the extracted text of each page."""
    reader = _open(data)
    parts: list[str] = []
    info = reader.metadata
    if info is not None:
        parts.extend(str(value) for value in info.values())
    try:
        xmp = reader.root_object.get("/Metadata")
        stream = xmp.get_object() if xmp is not None else None
        if isinstance(stream, StreamObject):
            parts.append(stream.get_data().decode("utf-8", "replace"))
    except (PdfReadError, KeyError, AttributeError, ValueError):
        pass
    pages = []
    for page in reader.pages:
        try:
            pages.append(page.extract_text())
        except (PdfReadError, KeyError, ValueError, TypeError):
            pages.append("")
    return PdfContent(metadata="\n".join(parts), pages=tuple(pages))


# -- the wording channel in an existing PDF's text layer -----------------------------------------

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>")
_SHOW = {b"Tj", b"'", b'"'}
MAX_SQUEEZE = 0.15
"""A varied line is scaled back to its old width (``Tz``) by at most this much (15 %)."""


@dataclass
class _SimpleFont:
    """A one-byte font's codes both ways and its glyph widths (1/1000 of the size)."""

    decode: dict[int, str]
    encode: dict[str, int]
    widths: dict[int, float]


def _simple_font(font: Any) -> _SimpleFont | None:
    """The codes of a simple font (Type1/TrueType with a ToUnicode map or a known encoding); None for
    composite (Type0) and unreadable fonts, whose text is left alone."""
    try:
        font = font.get_object()
        if font.get("/Subtype") not in ("/Type1", "/TrueType", "/MMType1"):
            return None
        decode: dict[int, str] = {}
        to_unicode = font.get("/ToUnicode")
        if to_unicode is not None:
            cmap = to_unicode.get_object().get_data()
            for begin, end, target in _BFRANGE.findall(cmap):
                base = int(target, 16)
                for code in range(int(begin, 16), int(end, 16) + 1):
                    decode[code] = chr(base + code - int(begin, 16))
            for code, target in _BFCHAR.findall(cmap):
                units = bytes.fromhex(target.decode("ascii"))
                decode[int(code, 16)] = units.decode("utf-16-be", "replace")
        else:
            encoding = font.get("/Encoding")
            name = encoding.get_object() if encoding is not None else None
            if name == "/WinAnsiEncoding" or (name is None and font.get("/BaseFont") in _STANDARD_FONTS):
                for code in range(32, 256):
                    char = bytes([code]).decode("cp1252", "replace")
                    if char != "\ufffd":
                        decode[code] = char
            else:
                return None
        first = int(font.get("/FirstChar", 0))
        widths_array = font.get("/Widths")
        widths: dict[int, float] = {}
        if widths_array is not None:
            for offset, width in enumerate(widths_array.get_object()):
                widths[first + offset] = float(width)
        else:
            metrics = CORE_FONT_METRICS.get(str(font.get("/BaseFont", "")).lstrip("/"))
            if metrics is None:
                return None
            for code, char in decode.items():
                widths[code] = float(metrics.character_widths.get(char, 500))
    except (AttributeError, KeyError, TypeError, ValueError, PdfReadError):
        return None
    encode: dict[str, int] = {}
    for code, char in sorted(decode.items(), reverse=True):
        if (len(char) == 1 and widths.get(code, 0) > 0) or char == " ":
            encode[char] = code
    return _SimpleFont(decode, encode, widths)


_STANDARD_FONTS = {f"/{name}" for name in CORE_FONT_METRICS}


@dataclass
class _Piece:
    page: int
    op: int
    text: str
    font: _SimpleFont


def _pieces(pages: Sequence[Any]) -> tuple[list[_Piece], list[Any]]:
    """Every ``Tj`` string of the pages in simple fonts, decoded; and each page's parsed content."""
    pieces: list[_Piece] = []
    contents: list[Any] = []
    for number, page in enumerate(pages):
        try:
            content = page.get_contents()
            fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        except (AttributeError, KeyError, TypeError, ValueError, PdfReadError):
            contents.append(None)
            continue
        contents.append(content)
        if content is None:
            continue
        known: dict[str, _SimpleFont | None] = {}
        current: _SimpleFont | None = None
        for index, (operands, operator) in enumerate(content.operations):
            if operator == b"Tf" and operands:
                name = str(operands[0])
                if name not in known:
                    known[name] = _simple_font(fonts[name]) if name in fonts else None
                current = known[name]
            elif operator in _SHOW and current is not None and operands:
                raw = _raw_bytes(operands[-1])
                if raw is None:
                    continue
                text = "".join(current.decode.get(b, "\ufffd") for b in raw)
                if "\ufffd" not in text:
                    pieces.append(_Piece(number, index, text, current))
    return pieces, contents


def _raw_bytes(value: Any) -> bytes | None:
    if isinstance(value, ByteStringObject):
        return bytes(value)
    if isinstance(value, TextStringObject):
        return bytes(value.get_original_bytes())
    return None


def wording_source(pieces: Sequence[_Piece]) -> str:
    """The text the wording channel works on: every string shown, one a line, pages apart."""
    out: list[str] = []
    previous = None
    for piece in pieces:
        if previous is not None:
            out.append("\f" if piece.page != previous else "\n")
        out.append(piece.text)
        previous = piece.page
    return "".join(out)


def _usable_points(
    pieces: Sequence[_Piece], language: str
) -> tuple[str, list[wordmark.ChoicePoint], list[int]]:
    """The wording source, the choice points an existing PDF can carry, and the piece of each.

    A point is usable when it lies inside one shown string, the font can show every alternative,
    and the line's points together, whichever alternatives are taken, change its width by at most
    ``MAX_SQUEEZE`` (so a line is never scaled by more). None of this depends on the recipient, so
    the tracer finds the same points from the original."""
    source = wording_source(pieces)
    offsets: list[int] = []
    position = 0
    for piece in pieces:
        offsets.append(position)
        position += len(piece.text) + 1
    usable: list[wordmark.ChoicePoint] = []
    owners: list[int] = []
    budget: dict[int, float] = {}
    for point in wordmark.choice_points(source, language):
        index = bisect.bisect_right(offsets, point.start) - 1
        if index < 0:
            continue
        piece = pieces[index]
        local = point.start - offsets[index]
        if local + (point.end - point.start) > len(piece.text):
            continue
        font = piece.font
        if not all(c in font.encode for alternative in point.alternatives for c in alternative):
            continue
        line = _width(font, piece.text)
        here = _width(font, piece.text[local : local + point.end - point.start])
        worst = max(abs(_width(font, alt) - here) for alt in point.alternatives)
        spent = budget.get(index, 0.0) + worst
        if spent > line * MAX_SQUEEZE:
            continue
        budget[index] = spent
        usable.append(point)
        owners.append(index)
    return source, usable, owners


def _width(font: _SimpleFont, text: str) -> float:
    return sum(font.widths.get(font.encode.get(c, 32), 0) for c in text)


def pdf_wording(data: bytes, language: str) -> tuple[str, list[wordmark.ChoicePoint]]:
    """The wording source of an existing PDF and the choice points its copies carry (for tracing,
    computed from the vault's original)."""
    reader = _open(data)
    source, points, _owners = _usable_points(_pieces(reader.pages)[0], language)
    return source, points


def _vary_body(pages: Sequence[Any], download_id: int, language: str) -> int:
    """Vary the wording of the pages' text layer in place (``_usable_points``); each changed string
    is scaled back to its old width (``Tz``). How many strings changed."""
    pieces, contents = _pieces(pages)
    if not pieces:
        return 0
    _source, points, owners = _usable_points(pieces, language)
    offsets: list[int] = []
    position = 0
    for piece in pieces:
        offsets.append(position)
        position += len(piece.text) + 1
    by_piece: dict[int, list[tuple[int, int, str]]] = {}
    for point, index in zip(points, owners, strict=True):
        pick = wordmark.choice(download_id, point)
        if pick != point.original:
            local = point.start - offsets[index]
            new = point.alternatives[pick]
            by_piece.setdefault(index, []).append((local, local + point.end - point.start, new))
    changed: dict[int, list[tuple[int, bytes, float]]] = {}
    for index, edits in by_piece.items():
        piece = pieces[index]
        text = piece.text
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        encoded = bytes(piece.font.encode[c] for c in text)
        old_width, new_width = _width(piece.font, piece.text), _width(piece.font, text)
        scale = 100.0 * old_width / new_width if new_width else 100.0
        changed.setdefault(piece.page, []).append((piece.op, encoded, scale))
    for page_number, page_edits in changed.items():
        content = contents[page_number]
        operations = list(content.operations)
        for op, encoded, scale in sorted(page_edits, reverse=True):
            operands, operator = operations[op]
            operands = [*operands[:-1], ByteStringObject(encoded)]
            replacement = [(operands, operator)]
            if abs(scale - 100.0) > 0.05:
                replacement = [
                    ([FloatObject(round(scale, 3))], b"Tz"),
                    *replacement,
                    ([FloatObject(100)], b"Tz"),
                ]
            operations[op : op + 1] = replacement
        content.operations = operations
        pages[page_number].replace_contents(content)
    return sum(len(v) for v in changed.values())
