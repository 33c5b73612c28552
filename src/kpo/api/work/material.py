"""A task's material: the client's documents and the experts' deliverables (versioned), up and down."""

import datetime as dt
from typing import Annotated

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from ninja.params.functions import Form as FormParam

from kpo.api.files import download_openapi, upload_from
from kpo.api.schemas import (
    Id,
    OptionalTitle,
    Pagination,
    Text,
    lookup,
    responses,
    user_of,
)
from kpo.confidentiality.services import vault_download
from kpo.confidentiality.vault import client_ip, open_document, open_version, vault_response
from kpo.core.access import get_visible_or_404
from kpo.work.access import access_task
from kpo.work.models import Deliverable, DeliverableVersion, TaskDocument
from kpo.work.selectors import task_deliverables, task_documents
from kpo.work.services import deliverable_upload, task_document_add

router = Router(tags=["material"])


class StoredFileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_uploaded_by(obj: TaskDocument | DeliverableVersion) -> str:
        return obj.uploaded_by.get_username()


class DocumentOut(StoredFileOut):
    title: str


class DeliverableVersionOut(StoredFileOut):
    number: int
    note: str


class DeliverableOut(Schema):
    id: int
    title: str
    created_by: str
    created_at: dt.datetime
    versions: list[DeliverableVersionOut]

    @staticmethod
    def resolve_created_by(obj: Deliverable) -> str:
        return obj.created_by.get_username()

    @staticmethod
    def resolve_versions(obj: Deliverable) -> list[DeliverableVersion]:
        return list(obj.versions.all())


@router.get(
    "/tasks/{task_id}/documents",
    response=responses({200: list[DocumentOut]}, 404, 422),
    operation_id="list_documents",
)
@paginate(Pagination)
def list_documents(request: HttpRequest, task_id: Id) -> QuerySet[TaskDocument]:
    return task_documents(access_task(user_of(request), task_id))


@router.post(
    "/tasks/{task_id}/documents",
    response=responses({201: DocumentOut}, 400, 403, 404, 409, 422),
    operation_id="upload_document",
)
def upload_document(
    request: HttpRequest,
    task_id: Id,
    file: File[UploadedFile],
    title: Annotated[OptionalTitle, FormParam("")] = "",
) -> Status[TaskDocument]:
    """Hand material over with a task (the client's admins and requesters); the type is judged by content."""
    user = user_of(request)
    task = access_task(user, task_id)
    return Status(201, task_document_add(user=user, task=task, title=title, upload=upload_from(file)))


@router.get(
    "/tasks/{task_id}/documents/{document_id}/download",
    response=responses({}, 404, 409, 422),
    operation_id="download_document",
    openapi_extra=download_openapi(),
)
def download_document(request: HttpRequest, task_id: Id, document_id: Id) -> FileResponse:
    """Through the vault: need-to-know (a logged 404), logged, watermarked for provider-side recipients."""
    user = user_of(request)
    task, document, decision = open_document(request, user, task_id, document_id)
    served = vault_download(
        user=user, task=task, stored=document, decision=decision, channel="api", ip=client_ip(request)
    )
    return vault_response(served, text_charset=True)


@router.get(
    "/tasks/{task_id}/deliverables",
    response=responses({200: list[DeliverableOut]}, 404, 422),
    operation_id="list_deliverables",
)
@paginate(Pagination)
def list_deliverables(request: HttpRequest, task_id: Id) -> QuerySet[Deliverable]:
    return task_deliverables(access_task(user_of(request), task_id))


@router.post(
    "/tasks/{task_id}/deliverables",
    response=responses({201: DeliverableOut}, 400, 403, 404, 409, 422),
    operation_id="upload_deliverable",
)
def upload_deliverable(
    request: HttpRequest,
    task_id: Id,
    file: File[UploadedFile],
    title: Annotated[OptionalTitle, FormParam("")] = "",
    note: Annotated[Text, FormParam("")] = "",
    deliverable_id: Annotated[Id | None, FormParam(None)] = None,
) -> Status[Deliverable]:
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
    return Status(201, task_deliverables(task).get(pk=version.deliverable_id))


@router.get(
    "/tasks/{task_id}/deliverables/{deliverable_id}/versions/{version_id}/download",
    response=responses({}, 404, 409, 422),
    operation_id="download_version",
    openapi_extra=download_openapi(),
)
def download_version(request: HttpRequest, task_id: Id, deliverable_id: Id, version_id: Id) -> FileResponse:
    """Through the vault, like `download_document`, at the task's level."""
    user = user_of(request)
    task, version, decision = open_version(request, user, task_id, deliverable_id, version_id)
    served = vault_download(
        user=user, task=task, stored=version, decision=decision, channel="api", ip=client_ip(request)
    )
    return vault_response(served, text_charset=True)
