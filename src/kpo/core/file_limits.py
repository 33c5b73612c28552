"""What a file may cost once opened: the limits (settings), the check by content type, a message per limit.

Checked at upload (`kpo.core.uploads`) and again before a stored file is watermarked for a download, so a
file stored before a limit was lowered is refused too. See `kpo.engine.watermark.limits`.
"""

from __future__ import annotations

import codecs
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from kpo.core.formatting import number
from kpo.engine.watermark.limits import (
    MB,
    FileLimits,
    Limit,
    Measured,
    OverLimit,
    UnreadableFile,
    check_docx,
    check_package,
    check_pdf,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFFICE_TYPES = {
    DOCX_TYPE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_CHUNK = 1024 * 1024

__all__ = ["FileLimits", "Limit", "Measured", "OverLimit", "UnreadableFile", "check_content", "file_limits"]


def file_limits() -> FileLimits:
    return FileLimits(
        package_bytes=int(settings.KPO_MAX_PACKAGE_BYTES),
        package_parts=int(settings.KPO_MAX_PACKAGE_PARTS),
        part_bytes=int(settings.KPO_MAX_PART_BYTES),
        run_chars=int(settings.KPO_MAX_RUN_CHARS),
        paragraph_chars=int(settings.KPO_MAX_PARAGRAPH_CHARS),
        document_chars=int(settings.KPO_MAX_DOCUMENT_CHARS),
        xml_elements=int(settings.KPO_MAX_XML_ELEMENTS),
        pdf_pages=int(settings.KPO_MAX_PDF_PAGES),
    )


def check_content(source: IO[bytes], content_type: str, *, lenient_pdf: bool = False) -> Measured:
    """Measure `source` (seekable) against the limits for its type; raise OverLimit or UnreadableFile.

    `lenient_pdf`: a PDF that cannot be read passes (its pages cannot be counted; a download refuses it).
    """
    limits = file_limits()
    source.seek(0)
    try:
        if content_type == DOCX_TYPE:
            return check_docx(source, limits)
        if content_type in OFFICE_TYPES:
            return check_package(source, limits)
        if content_type == "application/pdf":
            try:
                return check_pdf(source.read(), limits)
            except UnreadableFile:
                if lenient_pdf:
                    return Measured()
                raise
        if content_type.startswith("text/"):
            return _check_text(source, limits)
        return Measured()
    finally:
        source.seek(0)


def _check_text(source: IO[bytes], limits: FileLimits) -> Measured:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    chars = 0
    while chunk := source.read(_CHUNK):
        chars += len(decoder.decode(chunk))
        if chars > limits.document_chars:
            raise OverLimit(Limit.DOCUMENT_CHARS, limits.document_chars)
    return Measured(chars=chars + len(decoder.decode(b"", final=True)))


def limit_message(error: OverLimit | UnreadableFile) -> str:
    """What a person is told: the limit passed and its value (or that the file cannot be read)."""
    if isinstance(error, UnreadableFile):
        return _("The file is damaged or is not the kind of file its content claims; it cannot be opened.")
    allowed = error.allowed // MB if error.limit in _BYTE_LIMITS else error.allowed
    values = {"limit": number(allowed, 0)}
    messages = {
        Limit.PACKAGE_BYTES: _("The file unpacks to more than %(limit)s MB, the limit for an Office file."),
        Limit.PACKAGE_PARTS: _("The file holds more than %(limit)s parts, the limit for an Office file."),
        Limit.PART_BYTES: _("A part of the file unpacks to more than %(limit)s MB, the limit for one part."),
        Limit.RUN_CHARS: _(
            "A run of text in the document is longer than %(limit)s characters, the limit for one run."
        ),
        Limit.PARAGRAPH_CHARS: _(
            "A paragraph of the document is longer than %(limit)s characters, the limit for one paragraph."
        ),
        Limit.DOCUMENT_CHARS: _(
            "The document holds more than %(limit)s characters, the limit for one document."
        ),
        Limit.XML_ELEMENTS: _(
            "The document is built of more than %(limit)s elements, the limit for one document."
        ),
        Limit.PDF_PAGES: _("The PDF has more than %(limit)s pages, the limit for one PDF."),
    }
    return messages[error.limit] % values


_BYTE_LIMITS = {Limit.PACKAGE_BYTES, Limit.PART_BYTES}
