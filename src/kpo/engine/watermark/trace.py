"""Trace a leaked copy (a whole file, or pasted text) back to the download it came from.

For a file the metadata tag is read first, then the text channels of its extracted text; for
pasted text only the text channels. The result names a download id only when the evidence is
strong (confidence >= threshold, see ``code.confidence``); otherwise it says whether a fingerprint
was there at all: "no fingerprint" is never dressed up as a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kpo.engine.watermark import text as textmark
from kpo.engine.watermark import wording as wordmark
from kpo.engine.watermark.code import DEFAULT_THRESHOLD, Channel, Decoded, parse_tag
from kpo.engine.watermark.docx import DocxWatermarkError, read_docx
from kpo.engine.watermark.pdf import PdfWatermarkError, pdf_wording, read_pdf


class Kind(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    PDF = "pdf"
    DOCX = "docx"


_SUFFIXES = {
    "pdf": Kind.PDF,
    "docx": Kind.DOCX,
    "md": Kind.MARKDOWN,
    "markdown": Kind.MARKDOWN,
    "txt": Kind.TEXT,
    "text": Kind.TEXT,
}


def sniff(data: bytes, filename: str | None = None) -> Kind:
    """The kind of a file, by its first bytes, then by its name; plain text otherwise."""
    if data.lstrip()[:5] == b"%PDF-":
        return Kind.PDF
    if data[:4] == b"PK\x03\x04" and b"word/" in data[:4096]:
        return Kind.DOCX
    if filename and "." in filename:
        return _SUFFIXES.get(filename.rsplit(".", 1)[1].lower(), Kind.TEXT)
    return Kind.TEXT


def decode_bytes_as_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] not in (b"\xff\xfe", b"\xfe\xff") else ("utf-16",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class TraceResult:
    code: int | None
    """The download id, or None (no fingerprint, or too damaged to name anyone)."""
    confidence: float
    """How sure the decode is: 1 - an upper bound on the chance that noise produced it."""
    channels_found: tuple[Channel, ...]
    """Every channel that showed any mark, whether or not it decoded."""
    detail: str
    candidates: tuple[int, ...] = ()
    """When channels disagree (metadata names one download, the text another): both, code None."""

    @property
    def fingerprint_found(self) -> bool:
        return bool(self.channels_found)


@dataclass(frozen=True)
class Original:
    """What the vault kept of a document, for the wording channel: the file as marked (before any
    fingerprint), its kind, its language ("en"/"da"; None: detected), and the download ids that may
    have leaked it."""

    data: bytes
    kind: Kind
    candidates: tuple[int, ...]
    language: str | None = None


def wording_reference(original: Original) -> tuple[str, list[wordmark.ChoicePoint]]:
    """The text the wording channel varied in ``original`` and its choice points (for an existing
    PDF only those its text layer could carry). Raises the readers' errors for a broken file."""
    if original.kind is Kind.PDF:
        reader_text = read_pdf(original.data).pages
        language = original.language or wordmark.detect_language("\n".join(reader_text))
        return pdf_wording(original.data, language)
    if original.kind is Kind.DOCX:
        source = read_docx(original.data).body
    else:
        source = decode_bytes_as_text(original.data)
    language = original.language or wordmark.detect_language(source)
    return source, wordmark.choice_points(source, language)


def _trace_wording(text: str, original: Original, threshold: float) -> wordmark.WordingTrace | None:
    try:
        source, points = wording_reference(original)
    except (PdfWatermarkError, DocxWatermarkError, UnicodeError):
        return None
    strict = max(threshold, wordmark.WORDING_THRESHOLD)
    return wordmark.trace_wording(source, text, original.candidates, threshold=strict, points=points)


def _describe(result: Decoded) -> str:
    return (
        f"{result.decided_bits}/80 code bits decided, {result.disagreeing_bits} repaired, "
        f"{result.votes} votes"
    )


def trace_text(
    text: str, metadata: str = "", threshold: float = DEFAULT_THRESHOLD, original: Original | None = None
) -> TraceResult:
    """Trace extracted or pasted text, optionally with the file's metadata strings; with the original
    and its candidate downloads, the wording channel speaks when the others cannot name anyone."""
    result = _trace_typographic(text, metadata, threshold)
    if result.code is not None or original is None or not original.candidates:
        return result
    found = _trace_wording(text, original, threshold)
    if found is None or found.matches <= found.as_original:
        return result  # the text reads as the original: no wording fingerprint
    channels = (*result.channels_found, Channel.WORDING)
    summary = (
        f"wording: {found.matches} of {found.read} choice points read match download {found.best} "
        f"({found.expected_by_chance:.1f} expected by chance, {found.as_original} as in the original; "
        f"{found.candidates} candidates)"
    )
    if found.download_id is not None:
        return TraceResult(
            code=found.download_id, confidence=found.confidence, channels_found=channels, detail=summary
        )
    return TraceResult(
        code=None,
        confidence=max(result.confidence, found.confidence),
        channels_found=channels,
        detail=f"{summary}: too few to name a recipient",
    )


def _trace_typographic(text: str, metadata: str, threshold: float) -> TraceResult:
    meta = parse_tag(metadata) if metadata else None
    found = textmark.decode(text, threshold)
    channels = ((Channel.METADATA,) if meta else ()) + found.channels
    text_result = found.result
    text_ok = text_result is not None and text_result.confidence >= threshold
    if meta is not None:
        if text_ok and text_result is not None and text_result.download_id != meta.download_id:
            return TraceResult(
                code=None,
                confidence=0.0,
                channels_found=channels,
                detail=(
                    f"conflict: the metadata names download {meta.download_id} but the text names "
                    f"download {text_result.download_id}; the file was tampered with or combined"
                ),
                candidates=(meta.download_id, text_result.download_id),
            )
        agreeing = " and the text agrees" if text_ok else ""
        return TraceResult(
            code=meta.download_id,
            confidence=meta.confidence,
            channels_found=channels,
            detail=f"metadata tag{agreeing}",
        )
    if text_ok and text_result is not None:
        return TraceResult(
            code=text_result.download_id,
            confidence=text_result.confidence,
            channels_found=channels,
            detail=f"text channels: {_describe(text_result)}",
        )
    if channels:
        best = text_result.confidence if text_result is not None else 0.0
        return TraceResult(
            code=None,
            confidence=best,
            channels_found=channels,
            detail=(
                "fingerprint characters found ("
                + ", ".join(channels)
                + ") but too few or too damaged to name a recipient"
            ),
        )
    return TraceResult(code=None, confidence=0.0, channels_found=(), detail="no fingerprint found")


def trace(
    data: bytes | str,
    kind: Kind | str | None = None,
    *,
    filename: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    original: Original | None = None,
) -> TraceResult:
    """Trace a leaked file (bytes) or pasted text (str).

    ``kind`` is sniffed from the bytes (and ``filename``) when not given. A file that cannot be
    read answers with code None and the reason, never an exception. ``original`` (the document as
    the vault keeps it, with its candidate downloads) adds the wording channel, which survives
    retyping and OCR.
    """
    if isinstance(data, str):
        return trace_text(data, threshold=threshold, original=original)
    chosen = Kind(kind) if kind else sniff(data, filename)
    try:
        if chosen is Kind.PDF:
            pdf = read_pdf(data)
            return trace_text("\f".join(pdf.pages), pdf.metadata, threshold, original)
        if chosen is Kind.DOCX:
            content = read_docx(data)
            return trace_text(content.body + "\f" + content.footers, content.metadata, threshold, original)
    except (PdfWatermarkError, DocxWatermarkError) as exc:
        return TraceResult(code=None, confidence=0.0, channels_found=(), detail=str(exc))
    return trace_text(decode_bytes_as_text(data), threshold=threshold, original=original)
