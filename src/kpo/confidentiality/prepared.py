"""Copies too big to watermark during a request: made in the worker, fetched once by their recipient.

`downloads.prepared_copy_start` writes the `Download` row and a `PreparedCopy` in one short transaction
and enqueues `jobs.prepare_vault_copy` when it commits; the page at `prepared_copy` says "being
prepared" until the job is done. `prepared_copy_make` (the job) watermarks outside any transaction, then
records the copy in one short write; a copy that passes a limit or cannot be watermarked is marked
failed (its download row deleted, the refusal audited). `prepared_copy_collect` hands a ready copy out
once: a conditional update from ready to collected, so two requests cannot both take it; the download
is audited then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.confidentiality.downloads import (
    WATERMARK_ERRORS,
    Request,
    audit_download,
    checked_input,
    not_watermarkable,
    watermarked_copy,
)
from kpo.confidentiality.models import PreparedCopy, PreparedCopyStatus
from kpo.core.errors import DomainError
from kpo.core.file_limits import OverLimit, limit_message
from kpo.core.models import StoredFile
from kpo.engine.watermark import Kind
from kpo.engine.watermark.limits import Limit

KEPT_FOR = dt.timedelta(days=1)
"""A ready copy nobody fetched is deleted after this long."""


def _stored_of(copy: PreparedCopy) -> StoredFile | None:
    return copy.document or copy.version


def prepared_copy_make(*, copy_id: int) -> None:
    """The worker's part: the limits again, the watermark outside any transaction, then one short write."""
    copy = (
        PreparedCopy.objects.select_related(
            "download", "user", "task__engagement__client", "version__deliverable"
        )
        .filter(pk=copy_id, status=PreparedCopyStatus.PREPARING)
        .first()
    )
    if copy is None or copy.download is None:
        return
    download = copy.download
    stored = _stored_of(copy)
    if stored is None:
        _fail(copy, "missing")
        return
    request = Request(
        user=copy.user,
        task=copy.task,
        stored=stored,
        channel=download.channel,
        ip=download.ip,
        now=download.at,
    )
    kind = Kind(copy.kind)
    try:
        data, _measured = checked_input(request, kind)
        try:
            content = watermarked_copy(request, download, kind, data)
        except WATERMARK_ERRORS as error:
            raise not_watermarkable(request, error) from error
    except DomainError as error:
        cause = error.__cause__
        problem = f"over_limit:{cause.limit.value}:{cause.allowed}" if isinstance(cause, OverLimit) else ""
        _fail(copy, problem or "watermark_failed")
        return
    copy.file.save(f"{copy.pk}-{secrets.token_hex(8)}", ContentFile(content), save=False)
    now = timezone.now()
    with transaction.atomic():
        # conditional: a job run twice (the queue delivers at least once) records one copy
        done = PreparedCopy.objects.filter(pk=copy.pk, status=PreparedCopyStatus.PREPARING).update(
            status=PreparedCopyStatus.READY, file=copy.file.name, updated_at=now
        )
        if done:
            download.served_sha256 = hashlib.sha256(content).hexdigest()
            download.save(update_fields=["served_sha256"])
    if not done:
        copy.file.delete(save=False)
    prepared_copies_sweep(now=now)


def _fail(copy: PreparedCopy, problem: str) -> None:
    with transaction.atomic():
        if copy.download is not None:
            copy.download.delete()  # only copies handed out stay logged as downloads
        copy.download = None
        copy.status = PreparedCopyStatus.FAILED
        copy.problem = problem[:200]
        copy.updated_at = timezone.now()
        copy.save(update_fields=["download", "status", "problem", "updated_at"])


def prepared_copy_collect(*, copy: PreparedCopy) -> PreparedCopy:
    """Take a ready copy (once): ready → collected, and the download audited. Raises DomainError otherwise."""
    now = timezone.now()
    with transaction.atomic():
        taken = PreparedCopy.objects.filter(pk=copy.pk, status=PreparedCopyStatus.READY).update(
            status=PreparedCopyStatus.COLLECTED, updated_at=now
        )
        if not taken or copy.download is None:
            raise DomainError(problem_text(copy) or _("This copy was already downloaded."), field="file")
        stored = _stored_of(copy)
        if stored is None:
            raise DomainError(_("The file is no longer there."), field="file")
        download = copy.download
        request = Request(
            user=copy.user, task=copy.task, stored=stored, channel=download.channel, ip=download.ip, now=now
        )
        audit_download(request, download)
    copy.status = PreparedCopyStatus.COLLECTED
    return copy


def prepared_copies_sweep(*, now: dt.datetime) -> int:
    """Delete the files of ready copies nobody fetched in time (they expire). How many went."""
    stale = PreparedCopy.objects.filter(status=PreparedCopyStatus.READY, updated_at__lt=now - KEPT_FOR)
    count = 0
    for copy in stale:
        if copy.file:
            copy.file.delete(save=False)
        PreparedCopy.objects.filter(pk=copy.pk, status=PreparedCopyStatus.READY).update(
            status=PreparedCopyStatus.EXPIRED, file="", updated_at=now
        )
        count += 1
    return count


def problem_text(copy: PreparedCopy) -> str:
    """Why the copy is not released, in the reader's language ("" when nothing is wrong)."""
    if copy.status == PreparedCopyStatus.FAILED:
        if copy.problem.startswith("over_limit:"):
            _prefix, limit, allowed = copy.problem.split(":", 2)
            reason = limit_message(OverLimit(Limit(limit), int(allowed)))
            return _("This file is not released: %(reason)s") % {"reason": reason}
        if copy.problem == "missing":
            return _("The file is no longer there.")
        return _(
            "This file could not be watermarked, so it is not released; ask the client to upload it again."
        )
    if copy.status == PreparedCopyStatus.COLLECTED:
        return _(
            "This copy was already downloaded: every copy is handed out once. "
            "Ask for a fresh one on the task page."
        )
    if copy.status == PreparedCopyStatus.EXPIRED:
        return _(
            "This copy was not downloaded in time and has been deleted. Ask for a fresh one on the task page."
        )
    return ""
