"""The vault's door for downloads: the access check (404, logged), the link token, the served copy.

`document_download` / `version_download` (kpo.confidentiality.views) and the API download operations call
`open_document` / `open_version` and then `vault_response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.http import FileResponse, Http404, HttpRequest

from kpo.confidentiality.access import Decision, document_decision
from kpo.confidentiality.downloads import Served, vault_refusal_record
from kpo.confidentiality.models import PreparedCopy
from kpo.core.access import get_visible_or_404
from kpo.core.files import serve_stored
from kpo.core.signing import client_ip
from kpo.core.types import AnyUser
from kpo.work.access import access_task
from kpo.work.models import DeliverableVersion, Task, TaskDocument


def _task_client(task_id: object) -> object:
    """The client organisation of a task, for logging an attempt on it (None when there is no task)."""
    try:
        task = Task.objects.select_related("engagement__client").filter(pk=int(str(task_id))).first()
    except (ValueError, OverflowError):
        return None
    return task.engagement.client if task is not None else None


@dataclass(frozen=True)
class _Attempt:
    """What a download asked for, as logged when it is refused."""

    object_type: str
    object_id: object
    task_id: object


def _refuse(request: HttpRequest, attempt: _Attempt, reason: str) -> Http404:
    vault_refusal_record(
        user=request.user,
        organisation=_task_client(attempt.task_id),  # type: ignore[arg-type]
        object_type=attempt.object_type,
        object_id=attempt.object_id,
        reason=reason,
        ip=client_ip(request),
        task_id=attempt.task_id,
    )
    return Http404("Not found.")


def _allowed(request: HttpRequest, attempt: _Attempt, decision: Decision) -> Decision:
    if not decision.allowed:
        raise _refuse(request, attempt, decision.reason)
    return decision


def open_document(
    request: HttpRequest, user: AnyUser, task_id: object, document_id: object
) -> tuple[Task, TaskDocument, Decision]:
    """The document if `user` may open it; otherwise a logged 404."""
    attempt = _Attempt("task_document", document_id, task_id)
    try:
        task = access_task(user, task_id)
        document = get_visible_or_404(task.documents.select_related("task"), document_id)
    except Http404 as error:
        raise _refuse(request, attempt, "not_visible") from error
    document.task = task
    decision = document_decision(user, task, document.effective_confidentiality)
    return task, document, _allowed(request, attempt, decision)


def open_version(
    request: HttpRequest, user: AnyUser, task_id: object, deliverable_id: object, version_id: object
) -> tuple[Task, DeliverableVersion, Decision]:
    """A deliverable version if `user` may open it (at the task's level); otherwise a logged 404."""
    attempt = _Attempt("deliverable_version", version_id, task_id)
    try:
        task = access_task(user, task_id)
        deliverable = get_visible_or_404(task.deliverables.all(), deliverable_id)
        version = get_visible_or_404(deliverable.versions.select_related("deliverable"), version_id)
    except Http404 as error:
        raise _refuse(request, attempt, "not_visible") from error
    decision = document_decision(user, task, task.effective_confidentiality)
    return task, version, _allowed(request, attempt, decision)


def vault_response(served: Served, *, text_charset: bool = False) -> FileResponse:
    """The attachment: the watermarked copy, or the stored file as it is."""
    response = serve_stored(served.stored, content=served.content, text_charset=text_charset)
    response["X-Kpo-Download"] = str(served.download.pk)
    return response


def prepared_response(copy: PreparedCopy, handle: IO[bytes]) -> FileResponse:
    """A copy prepared in the worker, as an attachment; its file leaves storage as it is handed out."""
    stored = copy.document or copy.version
    name = stored.original_name if stored is not None else "copy"
    content_type = stored.content_type if stored is not None else "application/octet-stream"
    copy.file.delete(save=False)  # the open handle still reads it (POSIX); nothing stays behind
    PreparedCopy.objects.filter(pk=copy.pk).update(file="")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if copy.download_id is not None:
        response["X-Kpo-Download"] = str(copy.download_id)
    return response
