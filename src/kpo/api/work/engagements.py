"""Engagements: a client's piece of outsourced work with one provider, a budget and a time frame."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.outputs import Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import (
    OMITTED,
    Currency,
    DomainCode,
    Id,
    Money,
    RequiredText,
    Search,
    Title,
    filters_for,
    lookup,
    user_of,
)
from kpo.orgs.access import access_organisation, access_own_organisation
from kpo.work.access import access_engagement
from kpo.work.models import Engagement
from kpo.work.selectors import EngagementFilter, engagement_list
from kpo.work.services import engagement_create, engagement_update

router = ApiRouter(tags=["engagements"])

Kind = Literal["one_off", "recurring"]
PricingModel = Literal["time_and_materials", "fixed_fee"]
Confidentiality = Literal["public", "internal", "confidential", "restricted"]
EngagementStatus = Literal["draft", "active", "completed", "cancelled"]
EngagementSort = Literal["title", "-title", "start", "-start", "budget", "-budget", "created", "-created"]


class EngagementOut(Schema):
    id: int
    client: Ref
    provider: Ref
    title: str
    objective: str
    domain: str
    kind: str
    pricing_model: str
    budget: Decimal
    currency: str
    start_date: dt.date
    end_date: dt.date | None
    confidentiality: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime


class EngagementListItemOut(EngagementOut):
    task_count: int


class EngagementIn(Schema):
    client: Id = Field(description="Id of one's own client organisation.")
    provider: Id = Field(description="Id of a provider organisation (see GET /api/organisations).")
    title: Title
    objective: RequiredText
    domain: DomainCode
    kind: Kind = "one_off"
    pricing_model: PricingModel = "time_and_materials"
    budget: Money
    currency: Currency
    start_date: dt.date
    end_date: dt.date | None = None
    confidentiality: Confidentiality = "confidential"


class EngagementPatch(Schema):
    """Send only what changes. Only `end_date` may be null (no end)."""

    provider: Id = OMITTED
    title: Title = OMITTED
    objective: RequiredText = OMITTED
    domain: DomainCode = OMITTED
    kind: Kind = OMITTED
    pricing_model: PricingModel = OMITTED
    budget: Money = OMITTED
    currency: Currency = OMITTED
    start_date: dt.date = OMITTED
    end_date: dt.date | None = None
    confidentiality: Confidentiality = OMITTED
    status: EngagementStatus = OMITTED


class EngagementFilterIn(Schema):
    q: Search = ""
    status: EngagementStatus = OMITTED
    domain: DomainCode = OMITTED
    client: Id = OMITTED
    provider: Id = OMITTED
    sort: EngagementSort = "-created"


@router.lists("/engagements", EngagementListItemOut, 422)
def list_engagements(request: HttpRequest, filters: Query[EngagementFilterIn]) -> QuerySet[Engagement]:
    return engagement_list(user_of(request), filters_for(EngagementFilter, filters))


@router.creates("/engagements", EngagementOut, 400, 403, 409, 422)
def create_engagement(request: HttpRequest, payload: EngagementIn) -> Engagement:
    """Create an engagement for one's own client organisation (client admins and requesters)."""
    user = user_of(request)
    client = lookup("client", lambda: access_own_organisation(user, payload.client))
    provider = lookup("provider", lambda: access_organisation(user, payload.provider))
    fields = payload.model_dump(exclude={"client", "provider"})
    return engagement_create(user=user, client=client, provider=provider, **fields)


@router.reads("/engagements/{engagement_id}", EngagementOut, 404, 422)
def get_engagement(request: HttpRequest, engagement_id: Id) -> Engagement:
    return access_engagement(user_of(request), engagement_id)


@router.writes("PATCH", "/engagements/{engagement_id}", EngagementOut, 400, 403, 404, 409, 422)
def update_engagement(request: HttpRequest, engagement_id: Id, payload: EngagementPatch) -> Engagement:
    user = user_of(request)
    engagement = access_engagement(user, engagement_id, write=True)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    if "provider" in changes:
        provider_id = changes["provider"]
        changes["provider"] = lookup("provider", lambda: access_organisation(user, provider_id))
    return engagement_update(user=user, engagement=engagement, **changes)
