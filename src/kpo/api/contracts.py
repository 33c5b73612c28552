"""Statements of work: read an engagement's SOW and its versions, draft, edit, propose, sign, request
changes, download the PDF, and link tasks and milestones to SOW items."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, Title, no_nul, user_of
from kpo.contracts import access, selectors, services
from kpo.contracts.models import SowVersion
from kpo.contracts.pdf import sow_pdf_response
from kpo.core.signing import client_ip
from kpo.economics.commercials.access import access_milestone
from kpo.engine import sow as engine

router = ApiRouter(tags=["statements of work"])

Section = Annotated[str, StringConstraints(max_length=engine.MAX_SECTION), AfterValidator(no_nul)]
Code = Annotated[str, StringConstraints(max_length=engine.MAX_CODE), AfterValidator(no_nul)]
Hash = Annotated[str, StringConstraints(min_length=64, max_length=64), AfterValidator(no_nul)]


class SowItemOut(Schema):
    code: str
    title: str


class SowApprovalOut(Schema):
    side: str
    typed_name: str
    signed_at: dt.datetime
    content_sha256: str


class SowVersionOut(Schema):
    id: int
    engagement_id: int
    number: int
    status: str
    held_by: str = Field(description="The side that edits the draft, or that proposed the version.")
    scope: str
    deliverables: str
    acceptance_criteria: str
    milestones: str
    assumptions: str
    change_procedure: str
    change_reason: str
    content_sha256: str = Field(description="What a signature binds to: send it back to approve.")
    items: list[SowItemOut]
    approvals: list[SowApprovalOut]
    proposed_at: dt.datetime | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_engagement_id(obj: SowVersion) -> int:
        return obj.sow.engagement_id

    @staticmethod
    def resolve_items(obj: SowVersion) -> list[Any]:
        return list(obj.items.all())

    @staticmethod
    def resolve_approvals(obj: SowVersion) -> list[Any]:
        return list(obj.approvals.all())


class SowOut(Schema):
    engagement_id: int
    side: str | None = Field(description="The side the caller negotiates for, if any.")
    versions: list[SowVersionOut] = Field(description="The versions the caller reads, newest first.")


class SowItemIn(Schema):
    code: Code
    title: Title


class SowIn(Schema):
    scope: Section
    deliverables: Section = ""
    items: list[SowItemIn] = Field(default_factory=list, max_length=engine.MAX_ITEMS)
    acceptance_criteria: Section
    milestones: Section = ""
    assumptions: Section = ""
    change_procedure: Section


class ApproveIn(Schema):
    typed_name: Title = Field(description="The signer's full name, exactly as on their account.")
    content_sha256: Hash = Field(description="The content_sha256 of the version that was read.")


class ChangeRequestIn(Schema):
    reason: Annotated[
        str, StringConstraints(min_length=1, max_length=engine.MAX_SECTION), AfterValidator(no_nul)
    ]


class LinkIn(Schema):
    code: Code | None = Field(default=None, description="An item code of the approved SOW; null unlinks.")


class LinkOut(Schema):
    code: str | None


def _data(payload: SowIn) -> dict[str, Any]:
    data = payload.model_dump(exclude={"items"})
    data["items"] = engine.items_text(tuple(engine.Item(code=i.code, title=i.title) for i in payload.items))
    return data


@router.reads("/engagements/{engagement_id}/sow", SowOut, 403, 404, 422)
def get_engagement_sow(request: HttpRequest, engagement_id: Id) -> dict[str, Any]:
    """The engagement's SOW as the caller reads it (experts on its tasks: the approved version only)."""
    user = user_of(request)
    engagement = access.access_sow_engagement(user, engagement_id)
    view = selectors.sow_view(user, engagement)
    return {"engagement_id": engagement.pk, "side": view.side, "versions": view.versions}


@router.creates("/engagements/{engagement_id}/sow", SowVersionOut, 400, 403, 404, 409, 422)
def create_sow(request: HttpRequest, engagement_id: Id, payload: SowIn) -> SowVersion:
    """The client's admins and requesters draft version 1."""
    user = user_of(request)
    engagement = access.access_sow_engagement(user, engagement_id, draft=True)
    return services.sow_draft(user=user, engagement=engagement, data=_data(payload))


@router.creates("/engagements/{engagement_id}/sow/change-requests", SowVersionOut, 400, 403, 404, 409, 422)
def request_sow_change(request: HttpRequest, engagement_id: Id, payload: ChangeRequestIn) -> SowVersion:
    """A new draft from the approved version, held by the caller's side; the approved one stays in force."""
    user = user_of(request)
    engagement = access.access_sow_engagement(user, engagement_id, negotiate=True)
    return services.sow_change_request(user=user, engagement=engagement, reason=payload.reason)


@router.reads("/sow-versions/{sow_version_id}", SowVersionOut, 403, 404, 422)
def get_sow_version(request: HttpRequest, sow_version_id: Id) -> SowVersion:
    return access.access_sow_version(user_of(request), sow_version_id)


@router.writes("PUT", "/sow-versions/{sow_version_id}", SowVersionOut, 400, 403, 404, 409, 422)
def update_sow_version(request: HttpRequest, sow_version_id: Id, payload: SowIn) -> SowVersion:
    """Edit one's side's draft, or counter a proposal: the answer is then a new version."""
    user = user_of(request)
    version = access.access_sow_version(user, sow_version_id, negotiate=True)
    return services.sow_version_save(user=user, version=version, data=_data(payload))


@router.writes("POST", "/sow-versions/{sow_version_id}/propose", SowVersionOut, 400, 403, 404, 409, 422)
def propose_sow_version(request: HttpRequest, sow_version_id: Id) -> SowVersion:
    user = user_of(request)
    version = access.access_sow_version(user, sow_version_id, negotiate=True)
    return services.sow_propose(user=user, version=version)


@router.writes("POST", "/sow-versions/{sow_version_id}/approve", SowVersionOut, 400, 403, 404, 409, 422)
def approve_sow_version(request: HttpRequest, sow_version_id: Id, payload: ApproveIn) -> SowVersion:
    """Sign for one's side; approved once both sides signed the same content (409 on stale content)."""
    user = user_of(request)
    version = access.access_sow_version(user, sow_version_id, negotiate=True)
    services.sow_approve(user=user, version=version, ip=client_ip(request), **payload.model_dump())
    version.refresh_from_db()
    return version


@router.downloads("/sow-versions/{sow_version_id}/pdf", 404, 422, media_types=("application/pdf",))
def download_sow_version_pdf(request: HttpRequest, sow_version_id: Id) -> HttpResponse:
    return sow_pdf_response(access.access_sow_version(user_of(request), sow_version_id))


@router.writes("PUT", "/tasks/{task_id}/sow-item", LinkOut, 400, 403, 404, 409, 422)
def link_task_to_sow_item(request: HttpRequest, task_id: Id, payload: LinkIn) -> dict[str, Any]:
    user = user_of(request)
    task = access.access_task_link(user, task_id)
    link = services.task_link(user=user, task=task, code=payload.code)
    return {"code": link.code if link else None}


@router.writes("PUT", "/milestones/{milestone_id}/sow-item", LinkOut, 400, 403, 404, 409, 422)
def link_milestone_to_sow_item(request: HttpRequest, milestone_id: Id, payload: LinkIn) -> dict[str, Any]:
    """The client's admins and requesters link a milestone to an item of the approved SOW."""
    user = user_of(request)
    milestone = access_milestone(user, milestone_id)
    link = services.milestone_link(user=user, milestone=milestone, code=payload.code)
    return {"code": link.code if link else None}
