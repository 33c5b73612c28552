"""Uploaded files: the checks (size, type judged by content rather than by name, and what the file would
cost once opened: `kpo.core.file_limits`) and keeping one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import IO

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import File
from django.utils.translation import gettext as _

from kpo.core.active_content import RefusedContent, check_active_content
from kpo.core.errors import DomainError
from kpo.core.file_limits import OverLimit, UnreadableFile, check_content, limit_message
from kpo.core.models import StoredFile

ALLOWED_BINARY_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "image/png",
    "image/jpeg",
}
TEXT_EXTENSIONS = {".txt", ".md", ".csv", ".json"}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    cleaned: bytes | None = None
    """What is kept instead of the upload: a PDF without its active content (`kpo.core.active_content`)."""


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character may be cut at the end of the sniffed window
        return error.start >= len(head) - 3
    return True


def check_upload(stream: IO[bytes], name: str, *, field: str = "file") -> CheckedUpload:
    """Return type, size and checksum of an acceptable upload, or raise DomainError naming `field`."""
    limit = int(settings.KPO_MAX_UPLOAD_BYTES)
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        digest.update(chunk)
        if size > limit:
            break
    stream.seek(0)
    if size == 0:
        raise DomainError(_("The file is empty."), field=field)
    if size > limit:
        raise DomainError(
            _("The file is larger than the limit of %(size)s MB.") % {"size": limit // (1024 * 1024)},
            field=field,
        )
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_BINARY_TYPES:
        content_type = kind.mime
    elif kind is None and _looks_like_text(head) and _extension(name) in TEXT_EXTENSIONS:
        content_type = "text/markdown" if _extension(name) == ".md" else "text/plain"
    else:
        raise DomainError(
            _(
                "This file type is not accepted: upload PDF, Word, Excel, PowerPoint, PNG, JPEG "
                "or plain text."
            ),
            field=field,
        )
    try:
        check_content(stream, content_type, lenient_pdf=True)
    except (OverLimit, UnreadableFile) as error:
        raise DomainError(limit_message(error), field=field) from error
    try:
        cleaned = check_active_content(stream, content_type)
    except RefusedContent as error:
        raise DomainError(str(error), field=field) from error
    if cleaned is not None:
        return CheckedUpload(
            content_type=content_type,
            size=len(cleaned),
            sha256=hashlib.sha256(cleaned).hexdigest(),
            cleaned=cleaned,
        )
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def store_upload(
    stored: StoredFile,
    stream: IO[bytes],
    name: str,
    user: User,
    *,
    field: str = "file",
    checked: CheckedUpload | None = None,
) -> None:
    """Check the upload (errors name `field`), keep it as `stored`'s file with its name, type, size,
    checksum and uploader, and save `stored` (a PDF is kept without its active content).

    `checked`: the result of `check_upload` on this stream, run before the caller's transaction began
    (the check may inflate an Office file: no transaction should wait for it)."""
    checked = checked or check_upload(stream, name, field=field)
    stored.original_name = name[-255:]
    stored.content_type = checked.content_type
    stored.size = checked.size
    stored.sha256 = checked.sha256
    stored.uploaded_by = user
    kept = stream if checked.cleaned is None else BytesIO(checked.cleaned)
    stored.file.save(name[-100:], File(kept), save=False)
    stored.save()
