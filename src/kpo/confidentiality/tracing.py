"""What a leak trace accepts, for the page and the API alike: pasted text, or a file.

Pasted text: at most `MAX_PASTE` characters, no NUL. A file: not empty, within the upload limit, and, when
its content (not its name) says Word or PDF, safe to open (its zip or its page count within the limits;
a marked copy has more characters than its original, so characters are not limited here).
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from kpo.confidentiality.services import LeakReport, leak_trace
from kpo.core.file_limits import OverLimit, UnreadableFile, check_content, file_limits, limit_message
from kpo.engine.watermark import Kind, sniff
from kpo.engine.watermark.limits import check_package
from kpo.orgs.models import Organisation

MAX_PASTE = 200_000
SNIFF_BYTES = 4096


def text_problem(text: str) -> str | None:
    """Why pasted text cannot be traced, or None."""
    if len(text) > MAX_PASTE:
        return _("The text is longer than %(limit)s characters.") % {"limit": MAX_PASTE}
    if "\x00" in text:
        return _("The text contains characters that cannot be read.")
    return None


def file_problem(upload: IO[bytes], name: str | None, size: int) -> str | None:
    """Why an uploaded file cannot be traced, or None; the stream is left at its start."""
    if size == 0:
        return _("The file is empty.")
    if size > int(settings.KPO_MAX_UPLOAD_BYTES):
        return _("The file is larger than the upload limit.")
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head, name)
    try:
        if kind is Kind.DOCX:
            check_package(upload, file_limits())
        elif kind is Kind.PDF:
            check_content(upload, "application/pdf", lenient_pdf=True)
    except (OverLimit, UnreadableFile) as error:
        return limit_message(error)
    finally:
        upload.seek(0)
    return None


def leak_trace_for_client(
    *,
    user: User,
    organisation: Organisation,
    text: str = "",
    upload: IO[bytes] | None = None,
    name: str | None = None,
) -> LeakReport:
    """Trace a checked file (when given) or pasted text for one client, naming only its downloads; audited."""
    data: bytes | str = upload.read() if upload is not None else text
    return leak_trace(
        data=data,
        filename=name if upload is not None else None,
        client_ids={organisation.pk},
        user=user,
        organisation=organisation,
    )
