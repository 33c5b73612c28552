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
from kpo.engine.watermark.code import DEFAULT_THRESHOLD, Channel, Decoded, parse_tag
from kpo.engine.watermark.docx import DocxWatermarkError, read_docx
from kpo.engine.watermark.pdf import PdfWatermarkError, read_pdf


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


def _describe(result: Decoded) -> str:
    return (
        f"{result.decided_bits}/80 code bits decided, {result.disagreeing_bits} repaired, "
        f"{result.votes} votes"
    )


def trace_text(text: str, metadata: str = "", threshold: float = DEFAULT_THRESHOLD) -> TraceResult:
    """Trace extracted or pasted text, optionally with the file's metadata strings."""
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
) -> TraceResult:
    """Trace a leaked file (bytes) or pasted text (str).

    ``kind`` is sniffed from the bytes (and ``filename``) when not given. A file that cannot be
    read answers with code None and the reason, never an exception.
    """
    if isinstance(data, str):
        return trace_text(data, threshold=threshold)
    chosen = Kind(kind) if kind else sniff(data, filename)
    try:
        if chosen is Kind.PDF:
            pdf = read_pdf(data)
            return trace_text("\f".join(pdf.pages), pdf.metadata, threshold)
        if chosen is Kind.DOCX:
            content = read_docx(data)
            return trace_text(content.body + "\f" + content.footers, content.metadata, threshold)
    except (PdfWatermarkError, DocxWatermarkError) as exc:
        return TraceResult(code=None, confidence=0.0, channels_found=(), detail=str(exc))
    return trace_text(decode_bytes_as_text(data), threshold=threshold)
