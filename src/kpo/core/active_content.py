"""Active content at upload: PDFs are cleaned of it, Office files that hold it are refused.

See `kpo.engine.watermark.active` for what counts. A PDF that cannot be read passes as before (its
pages cannot be counted and a download refuses it) unless its raw bytes name active content, which
cannot then be removed: it is refused.
"""

from __future__ import annotations

import re
from typing import IO

from django.utils.translation import gettext as _

from kpo.core.file_limits import OFFICE_TYPES
from kpo.engine.watermark.active import ActiveContent, PdfCleaningError, clean_pdf, office_active_content

_RAW_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia|XFA)\b|/[A-Za-z]*#[0-9a-fA-F]{2}"
)


class RefusedContent(ValueError):
    """The file holds active content that cannot be removed; `str()` is the message for a person."""


def office_message(reason: ActiveContent) -> str:
    messages = {
        ActiveContent.MACROS: _("The file contains macros or ActiveX controls, which are not accepted."),
        ActiveContent.EXTERNAL_RELATIONSHIP: _(
            "The file refers to content outside itself (an external relationship), which is not accepted."
        ),
        ActiveContent.ALT_CHUNK: _("The file imports another document (altChunk), which is not accepted."),
        ActiveContent.ATTACHED_TEMPLATE: _("The file is attached to a template, which is not accepted."),
        ActiveContent.EXTERNAL_LINK: _(
            "The file links to another workbook or program, which is not accepted."
        ),
        ActiveContent.DDE_FIELD: _(
            "The file contains a DDE field that can start a program, which is not accepted."
        ),
    }
    return messages[reason]


def check_active_content(stream: IO[bytes], content_type: str) -> bytes | None:
    """Cleaned bytes for a PDF that held active content, None when the file is kept as it is;
    raises RefusedContent for an Office file with active content or a PDF that cannot be cleaned.
    Call after the size limits passed (`kpo.core.file_limits.check_content`)."""
    stream.seek(0)
    try:
        if content_type in OFFICE_TYPES:
            _check_office(stream)
            return None
        if content_type == "application/pdf":
            return _cleaned_pdf(stream.read())
        return None
    finally:
        stream.seek(0)


def _check_office(stream: IO[bytes]) -> None:
    try:
        reason = office_active_content(stream)
    except ValueError as error:
        raise RefusedContent(
            _("The file is damaged or is not the kind of file its content claims; it cannot be opened.")
        ) from error
    if reason is not None:
        raise RefusedContent(office_message(reason))


def _cleaned_pdf(data: bytes) -> bytes | None:
    try:
        cleaned = clean_pdf(data)
    except PdfCleaningError as error:
        if _RAW_PDF_ACTIVE.search(data):
            raise RefusedContent(
                _("The PDF contains scripts, actions or embedded files that could not be removed.")
            ) from error
        return None
    return None if cleaned is data else cleaned
