"""Per-recipient watermarks and leak tracing (pure: bytes in, bytes out; date passed in).

``watermark(data, kind, download_id=..., recipient=..., issued_on=...)`` makes the copy one
expert downloads; ``trace(data_or_text)`` names the download a leaked copy came from. The code,
its channels and what defeats each are described in ``code`` and ``text``.
"""

from __future__ import annotations

from datetime import date

from kpo.engine.watermark.code import (
    DEFAULT_THRESHOLD,
    MAX_ID,
    BadDownloadId,
    Channel,
    Decoded,
    tag,
)
from kpo.engine.watermark.docx import DocxWatermarkError, watermark_docx
from kpo.engine.watermark.pdf import PdfWatermarkError, watermark_pdf, watermark_text_as_pdf
from kpo.engine.watermark.text import (
    DEFAULT_CHANNELS,
    LOOK_ALIKE_CHANNELS,
    channels_for,
    normalise,
    watermark_text,
)
from kpo.engine.watermark.trace import Kind, Original, TraceResult, decode_bytes_as_text, sniff, trace

__all__ = [
    "DEFAULT_CHANNELS",
    "DEFAULT_THRESHOLD",
    "LOOK_ALIKE_CHANNELS",
    "MAX_ID",
    "BadDownloadId",
    "Channel",
    "Decoded",
    "DocxWatermarkError",
    "Kind",
    "Original",
    "PdfWatermarkError",
    "TraceResult",
    "channels_for",
    "normalise",
    "sniff",
    "tag",
    "trace",
    "watermark",
    "watermark_docx",
    "watermark_pdf",
    "watermark_text",
    "watermark_text_as_pdf",
]


def watermark(
    data: bytes,
    kind: Kind | str,
    *,
    download_id: int,
    recipient: str,
    issued_on: date,
    look_alikes: bool = False,
    wording: str | None = None,
) -> bytes:
    """The copy of ``data`` for one download: visible footer, fingerprint, metadata where any.

    ``look_alikes`` adds the homoglyph channel (Cyrillic twins of Latin letters: it survives the
    most, but the copy no longer searches or spell-checks as typed), for restricted material only.
    ``wording`` (a language code, "en" or "da") varies the wording per recipient (``wording``: the
    channel that survives retyping and OCR); None (legal text locked by the client) keeps every word.
    For an existing PDF the body's text layer is varied where its fonts allow (``pdf``).
    Text and Markdown come back as UTF-8. Raises ``BadDownloadId``, ``PdfWatermarkError`` or
    ``DocxWatermarkError`` (all ``ValueError``) for bad input.
    """
    chosen = Kind(kind)
    channels = channels_for(look_alikes)
    if chosen is Kind.PDF:
        return watermark_pdf(data, download_id, recipient, issued_on, channels, wording=wording)
    if chosen is Kind.DOCX:
        return watermark_docx(data, download_id, recipient, issued_on, channels, wording=wording)
    text = decode_bytes_as_text(data)
    return watermark_text(text, download_id, recipient, issued_on, channels, wording=wording).encode("utf-8")
