"""The vault's downloads: one copy handed out, logged, watermarked for the recipient when due.

Watermarking is the slow part, so it never runs inside a database transaction (on SQLite a transaction
holds the write lock: every other write and sign-in would wait for it). The order:

1. the stored file is read and checked against the limits (`kpo.core.file_limits`), outside any
   transaction; a file over a limit is refused and the refusal audited, nothing else is written;
2. a short transaction writes the `Download` row, whose id is the watermark's download id;
3. the copy is watermarked, outside any transaction;
4. a short transaction records the served copy's checksum and audits the download. When step 3
   fails, the row is deleted again and the refusal audited: only copies handed out stay logged.

The web's single-use link is spent before any of this (`tokens.spend_token`) and stays spent when the
copy is refused: the page then says why and offers a fresh link. Copies too big to watermark during a
request (`KPO_WATERMARK_WORKER_BYTES` / `_CHARS`) are prepared in the worker (`prepared`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.confidentiality.access import Decision, look_alikes_for
from kpo.confidentiality.models import Download, DownloadChannel, PreparedCopy, WordingReview, WordingStatus
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.core.file_limits import DOCX_TYPE, OverLimit, UnreadableFile, check_content, limit_message
from kpo.core.models import StoredFile
from kpo.core.signing import clean_ip, signer_name
from kpo.engine.watermark import DocxWatermarkError, Kind, PdfWatermarkError, watermark
from kpo.engine.watermark.code import BadDownloadId
from kpo.engine.watermark.limits import Measured
from kpo.engine.watermark.trace import decode_bytes_as_text
from kpo.orgs.models import Organisation
from kpo.redaction.services import redact_for_expert
from kpo.work.models import DeliverableVersion, Task, TaskDocument

WATERMARK_ERRORS = (PdfWatermarkError, DocxWatermarkError, BadDownloadId, UnicodeError)
_CHECKED_AS = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: DOCX_TYPE,
    Kind.TEXT: "text/plain",
    Kind.MARKDOWN: "text/plain",
}


def watermark_kind(stored: StoredFile) -> Kind | None:
    """The engine's kind for text-bearing files; None for formats served unchanged."""
    name = stored.original_name.lower()
    if stored.content_type == "application/pdf":
        return Kind.PDF
    if stored.content_type == DOCX_TYPE:
        return Kind.DOCX
    if stored.content_type == "text/markdown" or name.endswith((".md", ".markdown")):
        return Kind.MARKDOWN
    if stored.content_type == "text/plain" and name.endswith((".txt", ".text")):
        return Kind.TEXT
    return None


@dataclass(frozen=True)
class Served:
    stored: StoredFile
    download: Download
    content: bytes | None
    """The watermarked copy, or None: serve the stored file as it is (unless `prepared`)."""
    prepared: PreparedCopy | None = None
    """A copy too big to make now, being prepared in the worker."""


def recipient_name(user: User) -> str:
    return signer_name(user.get_full_name(), user.get_username())[:200]


def _object_of(stored: StoredFile) -> tuple[str, dict[str, Any]]:
    if isinstance(stored, TaskDocument):
        return "task_document", {"document": stored, "title": stored.title}
    if isinstance(stored, DeliverableVersion):
        return "deliverable_version", {"version": stored, "title": stored.deliverable.title}
    raise TypeError(type(stored).__name__)


def read_stored(stored: StoredFile) -> bytes:
    try:
        with stored.file.open("rb") as handle:
            data: bytes = handle.read()
    except (FileNotFoundError, OSError, ValueError) as error:
        raise DomainError(_("The file is missing from storage."), field="file") from error
    return data


@dataclass(frozen=True)
class Request:
    """One download asked for: who, what, from where, when."""

    user: User
    task: Task
    stored: StoredFile
    channel: str
    ip: str | None
    now: datetime

    @property
    def client(self) -> Organisation:
        return self.task.engagement.client

    @property
    def target(self) -> tuple[str, int]:
        return (_object_of(self.stored)[0], int(self.stored.pk))

    @property
    def level(self) -> str:
        """The material's confidentiality level: a document's own (else its task's); a version's task's."""
        if isinstance(self.stored, TaskDocument):
            return self.stored.confidentiality or self.task.effective_confidentiality
        return self.task.effective_confidentiality


def refuse(request: Request, reason: str, message: str, **details: object) -> DomainError:
    """Audit a refused copy (`access_denied`) and return the error that tells the user why."""
    logged = {"task": request.task.pk, "reason": reason, **details}
    audit(request.user, AuditEvent.ACCESS_DENIED, request.target, request.client, logged)
    return DomainError(message, field="file")


def not_watermarkable(request: Request, error: Exception) -> DomainError:
    return refuse(
        request,
        "watermark_failed",
        _("This file could not be watermarked, so it is not released; ask the client to upload it again."),
        error=str(error)[:200],
    )


def checked_input(request: Request, kind: Kind) -> tuple[bytes, Measured]:
    """The stored bytes to watermark, checked against the limits (refused and audited when over)."""
    data = read_stored(request.stored)
    try:
        measured = check_content(BytesIO(data), _CHECKED_AS[kind])
    except OverLimit as error:
        message = _("This file is not released: %(reason)s") % {"reason": limit_message(error)}
        raise refuse(
            request, "over_limit", message, limit=error.limit.value, allowed=error.allowed
        ) from error
    except UnreadableFile as error:
        raise not_watermarkable(request, error) from error
    return data, measured


def _large(data: bytes, measured: Measured) -> bool:
    """Whether watermarking this file would hold a request too long (see the settings)."""
    too_big = len(data) > int(settings.KPO_WATERMARK_WORKER_BYTES)
    return too_big or measured.chars > int(settings.KPO_WATERMARK_WORKER_CHARS)


def new_download(request: Request, *, watermarked: bool, served_sha256: str = "") -> Download:
    _object_type, link = _object_of(request.stored)
    title = str(link.pop("title"))
    download = Download(
        at=request.now,
        user=request.user,
        client_id=request.task.engagement.client_id,
        task=request.task,
        title=title[:200],
        file_name=request.stored.original_name[:255],
        sha256=request.stored.sha256,
        served_sha256=served_sha256,
        recipient=recipient_name(request.user),
        ip=clean_ip(request.ip),
        channel=request.channel,
        watermarked=watermarked,
        **link,
    )
    download.save()
    return download


def wording_for(stored: StoredFile) -> str | None:
    """The language to vary a copy's wording in: a client document whose variant set the client approved
    for this very file (`WordingReview`); None otherwise (not reviewed, locked as legal text, changed since,
    or a deliverable version)."""
    if not isinstance(stored, TaskDocument):
        return None
    review = WordingReview.objects.filter(document_id=stored.pk).first()
    if review is None or review.status != WordingStatus.APPROVED or review.sha256 != stored.sha256:
        return None
    return review.language


def watermarked_copy(request: Request, download: Download, kind: Kind, data: bytes) -> bytes:
    """The copy for `download` (text is redacted for the provider side first); look-alike letters only for
    restricted material; the recipient's wording where the client approved the document's variants.
    Raises WATERMARK_ERRORS."""
    if kind in {Kind.TEXT, Kind.MARKDOWN}:
        # code names and personal data become placeholders before the provider side reads it
        data = redact_for_expert(request.task, decode_bytes_as_text(data)).encode("utf-8")
    return watermark(
        data,
        kind,
        download_id=download.pk,
        recipient=download.recipient,
        issued_on=installation_date(request.now),
        look_alikes=look_alikes_for(request.level),
        wording=wording_for(request.stored),
    )


def audit_download(request: Request, download: Download) -> None:
    details = {
        "task": request.task.pk,
        "file": request.stored.original_name,
        "sha256": request.stored.sha256,
        "download": download.pk,
        "watermarked": download.watermarked,
        "channel": request.channel,
        "ip": download.ip or "",
    }
    audit(request.user, AuditEvent.DOWNLOAD, request.target, request.client, details)


def finish_download(request: Request, download: Download, content: bytes) -> None:
    """The short write after watermarking: the served copy's checksum and the audit entry."""
    with transaction.atomic():
        download.served_sha256 = hashlib.sha256(content).hexdigest()
        download.save(update_fields=["served_sha256"])
        audit_download(request, download)


def drop_download(download: Download) -> None:
    """A copy that was not handed out leaves no download row."""
    Download.objects.filter(pk=download.pk).delete()


def vault_download(
    *,
    user: User,
    task: Task,
    stored: StoredFile,
    decision: Decision,
    channel: str = DownloadChannel.WEB,
    ip: str | None = None,
    prepare_large: bool = False,
) -> Served:
    """Hand out one copy the access rule allowed: logged, and watermarked for the recipient when due.

    With `prepare_large`, a copy too big to watermark now is prepared in the worker (`Served.prepared`).
    Raises DomainError (naming the reason; the refusal audited) when a copy that must be watermarked
    passes a limit or cannot be watermarked: it is then not released.
    """
    if not decision.allowed:
        raise DomainError(_("You may not open this file."), field="file")
    request = Request(user=user, task=task, stored=stored, channel=channel, ip=ip, now=timezone.now())
    kind = watermark_kind(stored) if decision.watermark else None
    if kind is None:
        with transaction.atomic():
            download = new_download(request, watermarked=False, served_sha256=stored.sha256)
            audit_download(request, download)
        return Served(stored=stored, download=download, content=None)
    data, measured = checked_input(request, kind)
    if prepare_large and _large(data, measured):
        copy = prepared_copy_start(request, kind)
        assert copy.download is not None
        return Served(stored=stored, download=copy.download, content=None, prepared=copy)
    with transaction.atomic():
        download = new_download(request, watermarked=True)
    try:
        content = watermarked_copy(request, download, kind, data)
    except WATERMARK_ERRORS as error:
        drop_download(download)
        raise not_watermarkable(request, error) from error
    except BaseException:
        drop_download(download)
        raise
    finish_download(request, download, content)
    return Served(stored=stored, download=download, content=content)


def prepared_copy_start(request: Request, kind: Kind) -> PreparedCopy:
    """The download's row and the copy to prepare, in one short transaction; the job is enqueued on commit."""
    stored = request.stored
    with transaction.atomic():
        download = new_download(request, watermarked=True)
        copy = PreparedCopy.objects.create(
            user=request.user,
            task=request.task,
            document=stored if isinstance(stored, TaskDocument) else None,
            version=stored if isinstance(stored, DeliverableVersion) else None,
            download=download,
            title=download.title,
            kind=kind.value,
            created_at=request.now,
            updated_at=request.now,
        )
        copy_id = copy.pk

        def enqueue() -> None:
            from kpo.confidentiality.jobs import prepare_vault_copy

            prepare_vault_copy.enqueue(copy_id=copy_id)

        transaction.on_commit(enqueue)
    return copy


def vault_refusal_record(
    *,
    user: Any,
    organisation: Organisation | None,
    object_type: str,
    object_id: object,
    reason: str,
    ip: str | None = None,
    task_id: object = None,
) -> None:
    """Log a refused download (404 or refused token) as `access_denied`."""
    details = {"reason": reason, "task": str(task_id)[:64], "ip": clean_ip(ip) or ""}
    target = (object_type, str(object_id)[:64])
    audit(user, AuditEvent.ACCESS_DENIED, target, organisation, details)
