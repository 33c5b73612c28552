"""Overflow pools: an engagement's approved overflow providers, tasks released to the pool, and taking one
(kpo.work.overflow; the provider that takes a task staffs it under every eligibility rule of the client)."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.outputs import PersonName, Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, lookup, no_nul, not_blank, user_of
from kpo.core.access import get_visible_or_404
from kpo.core.clock import request_now
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.work import overflow
from kpo.work.models import OverflowProvider, TaskRelease

router = ApiRouter(tags=["overflow pools"])

Reason = Annotated[
    str,
    StringConstraints(max_length=overflow.REASON_MAX),
    AfterValidator(no_nul),
    AfterValidator(not_blank),
    Field(description="Why: required, not blank."),
]


class OverflowProviderOut(Schema):
    id: int
    engagement_id: int
    provider: Ref
    provider_type: str
    approved_by: PersonName
    approved_at: dt.datetime = Field(alias="created_at")

    @staticmethod
    def resolve_provider_type(obj: OverflowProvider) -> str:
        return obj.provider.provider_type


class OverflowProviderIn(Schema):
    provider_id: Id = Field(description="A provider organisation: not the engagement's own provider.")


class TaskReleaseOut(Schema):
    id: int
    task: Ref
    engagement: Ref
    client: Ref
    status: str = Field(description="open, taken or recalled.")
    reason: str
    released_by: PersonName
    released_at: dt.datetime
    taken_by_organisation: Ref | None
    taken_at: dt.datetime | None
    take_reason: str

    @staticmethod
    def resolve_engagement(obj: TaskRelease) -> object:
        return obj.task.engagement

    @staticmethod
    def resolve_client(obj: TaskRelease) -> object:
        return obj.task.engagement.client


class ReasonIn(Schema):
    reason: Reason


@router.lists("/engagements/{engagement_id}/overflow-providers", OverflowProviderOut, 403, 404, 422)
def list_overflow_providers(request: HttpRequest, engagement_id: Id) -> list[OverflowProvider]:
    """The engagement's approved overflow providers (the client's people, the provider's managers and
    auditors)."""
    engagement = overflow.access_overflow_engagement(user_of(request), engagement_id)
    return overflow.overflow_providers_of(engagement)


@router.creates(
    "/engagements/{engagement_id}/overflow-providers", OverflowProviderOut, 400, 403, 404, 409, 422
)
def approve_overflow_provider(
    request: HttpRequest, engagement_id: Id, payload: OverflowProviderIn
) -> OverflowProvider:
    """Approve a provider as overflow for the engagement (the client's admins); audited."""
    user = user_of(request)
    engagement = overflow.access_overflow_engagement(user, engagement_id)
    overflow.require_approver(user, engagement)
    provider = lookup(
        "provider_id",
        lambda: get_visible_or_404(
            Organisation.objects.filter(kind=OrganisationKind.PROVIDER), payload.provider_id
        ),
    )
    approval = overflow.overflow_approve(user=user, engagement=engagement, provider=provider)
    return overflow.access_overflow_provider(user, approval.pk)


@router.deletes("/overflow-providers/{overflow_provider_id}", 403, 404, 422)
def withdraw_overflow_provider(request: HttpRequest, overflow_provider_id: Id) -> None:
    """Withdraw an approval (the client's admins); a task the provider already took stays with it."""
    user = user_of(request)
    approval = overflow.access_overflow_provider(user, overflow_provider_id)
    overflow.overflow_remove(user=user, approval=approval)


@router.creates("/tasks/{task_id}/overflow-release", TaskReleaseOut, 400, 403, 404, 409, 422)
def release_task_to_overflow(request: HttpRequest, task_id: Id, payload: ReasonIn) -> TaskRelease:
    """Release a task waiting for staff to the engagement's overflow pool, saying why (the provider's
    managers, the client's admins and requesters); the overflow providers' managers are told; audited."""
    user = user_of(request)
    task = overflow.access_releasing_task(user, task_id)
    release = overflow.task_release(user=user, task=task, reason=payload.reason, now=request_now(request))
    return overflow.access_release(user, release.pk)


@router.lists("/overflow-releases", TaskReleaseOut, 422)
def list_overflow_releases(request: HttpRequest) -> list[TaskRelease]:
    """Releases offered to the overflow providers you manage (open ones you may take) and those they took,
    newest first."""
    offered, _own = overflow.releases_for(user_of(request))
    return offered


@router.writes("POST", "/overflow-releases/{task_release_id}/take", TaskReleaseOut, 400, 404, 409, 422)
def take_overflow_release(request: HttpRequest, task_release_id: Id, payload: ReasonIn) -> TaskRelease:
    """Take an open release for the overflow provider you manage, saying why; your provider then staffs the
    task with its own experts, each meeting every rule (NDA, conflicts, residency, clearance, vetting);
    audited."""
    user = user_of(request)
    release = overflow.access_release_to_take(user, task_release_id)
    overflow.release_take(user=user, release=release, reason=payload.reason, now=request_now(request))
    return overflow.access_release(user, release.pk)
