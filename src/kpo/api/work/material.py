"""A task's material: the client's documents and the experts' deliverables (versioned), up and down."""

import datetime as dt
from typing import Annotated

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Schema, UploadedFile
from ninja.params.functions import Form as FormParam

from kpo.api.files import upload_from
from kpo.api.outputs import Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, OptionalTitle, Text, lookup, user_of
from kpo.confidentiality.access import Decision
from kpo.confidentiality.downloads import vault_download
from kpo.confidentiality.vault import open_document, open_version, vault_response
from kpo.core.access import get_visible_or_404
from kpo.core.signing import client_ip
from kpo.work.access import access_task
from kpo.work.models import Deliverable, DeliverableVersion, Task, TaskDocument
from kpo.work.selectors import task_deliverables, task_documents
from kpo.work.services import deliverable_upload, task_document_add

router = ApiRouter(tags=["material"])


class StoredFileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: Username
    created_at: dt.datetime


class DocumentOut(StoredFileOut):
    title: str


class DeliverableVersionOut(StoredFileOut):
    number: int
    note: str


class DeliverableOut(Schema):
    id: int
    title: str
    created_by: Username
    created_at: dt.datetime
    versions: list[DeliverableVersionOut]


def _through_vault(
    request: HttpRequest, user: User, opened: tuple[Task, TaskDocument | DeliverableVersion, Decision]
) -> FileResponse:
    """A document or version `user` may open, handed out by the vault (logged, watermarked when due)."""
    task, stored, decision = opened
    served = vault_download(
        user=user, task=task, stored=stored, decision=decision, channel="api", ip=client_ip(request)
    )
    return vault_response(served, text_charset=True)


@router.lists("/tasks/{task_id}/documents", DocumentOut, 404, 422)
def list_documents(request: HttpRequest, task_id: Id) -> QuerySet[TaskDocument]:
    return task_documents(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/documents", DocumentOut, 400, 403, 404, 409, 422)
def upload_document(
    request: HttpRequest,
    task_id: Id,
    file: File[UploadedFile],
    title: Annotated[OptionalTitle, FormParam("")] = "",
) -> TaskDocument:
    """Hand material over with a task (the client's admins and requesters); the type is judged by content."""
    user = user_of(request)
    task = access_task(user, task_id)
    return task_document_add(user=user, task=task, title=title, upload=upload_from(file))


@router.downloads("/tasks/{task_id}/documents/{document_id}/download", 404, 409, 422)
def download_document(request: HttpRequest, task_id: Id, document_id: Id) -> FileResponse:
    """Through the vault: need-to-know (a logged 404), logged, watermarked for provider-side recipients."""
    user = user_of(request)
    return _through_vault(request, user, open_document(request, user, task_id, document_id))


@router.lists("/tasks/{task_id}/deliverables", DeliverableOut, 404, 422)
def list_deliverables(request: HttpRequest, task_id: Id) -> QuerySet[Deliverable]:
    return task_deliverables(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/deliverables", DeliverableOut, 400, 403, 404, 409, 422)
def upload_deliverable(
    request: HttpRequest,
    task_id: Id,
    file: File[UploadedFile],
    title: Annotated[OptionalTitle, FormParam("")] = "",
    note: Annotated[Text, FormParam("")] = "",
    deliverable_id: Annotated[Id | None, FormParam(None)] = None,
) -> Deliverable:
    """Upload a deliverable, or with `deliverable_id` a new version of one (the task's maker)."""
    user = user_of(request)
    task = access_task(user, task_id)
    deliverable = None
    if deliverable_id is not None:
        deliverable = lookup(
            "deliverable_id", lambda: get_visible_or_404(task_deliverables(task), deliverable_id)
        )
    version = deliverable_upload(
        user=user, task=task, upload=upload_from(file), title=title, note=note, deliverable=deliverable
    )
    return task_deliverables(task).get(pk=version.deliverable_id)


@router.downloads(
    "/tasks/{task_id}/deliverables/{deliverable_id}/versions/{version_id}/download", 404, 409, 422
)
def download_version(request: HttpRequest, task_id: Id, deliverable_id: Id, version_id: Id) -> FileResponse:
    """Through the vault, like `download_document`, at the task's level."""
    user = user_of(request)
    return _through_vault(request, user, open_version(request, user, task_id, deliverable_id, version_id))
