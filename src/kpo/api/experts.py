"""The expert directory and full profiles. Cost rates only for the expert's own organisation and staff."""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.outputs import Ref, SkillRowOut
from kpo.api.routing import ApiRouter
from kpo.api.schemas import (
    OMITTED,
    CountryCode,
    DegreeCode,
    DomainCode,
    Id,
    LanguageCode,
    Search,
    filters_for,
    user_of,
)
from kpo.experts.access import access_expert, sees_expert_rates
from kpo.experts.models import ExpertProfile
from kpo.experts.selectors import ExpertFilter, expert_list, expert_profile

router = ApiRouter(tags=["experts"])


class ExpertLanguageOut(Schema):
    language: str
    level: str


class ExpertDegreeOut(Schema):
    level: str
    field: str
    institution: str
    year: int
    verification_status: str


class ExpertSkillOut(SkillRowOut):
    proficiency: int


class EmploymentOut(Schema):
    employer: str
    title: str
    start: dt.date
    end: dt.date | None


class ExpertSummaryOut(Schema):
    id: int
    name: str
    headline: str
    country: str
    time_zone: str
    organisation: Ref
    domains: list[str]
    languages: list[ExpertLanguageOut]
    weekly_capacity_hours: Decimal
    internal: bool
    status: str

    @staticmethod
    def resolve_name(obj: ExpertProfile) -> str:
        return obj.display_name

    @staticmethod
    def resolve_domains(obj: ExpertProfile) -> list[str]:
        return [row.domain for row in obj.domains.all()]


class ExpertOut(ExpertSummaryOut):
    biography: str
    degrees: list[ExpertDegreeOut]
    skills: list[ExpertSkillOut]
    employments: list[EmploymentOut]
    occupation: str | None
    bill_rate: Decimal
    rate_currency: str
    cost_rate: Decimal | None = Field(
        None, description="Only for the expert's own organisation and staff; null for everyone else."
    )

    @staticmethod
    def resolve_cost_rate(obj: ExpertProfile) -> None:
        return None  # hidden by default; get_expert reveals it to those who may see it

    @staticmethod
    def resolve_occupation(obj: ExpertProfile) -> str | None:
        return obj.occupation.label if obj.occupation else None


class ExpertFilterIn(Schema):
    q: Search = ""
    domain: DomainCode = OMITTED
    skill: Id = OMITTED
    country: CountryCode = OMITTED
    language: LanguageCode = OMITTED
    degree: DegreeCode = OMITTED
    organisation: Id = OMITTED
    internal: bool = OMITTED


@router.lists("/experts", ExpertSummaryOut, 422)
def list_experts(request: HttpRequest, filters: Query[ExpertFilterIn]) -> QuerySet[ExpertProfile]:
    """The experts one may see: one's own organisation's, and for clients the marketplace and captives."""
    return expert_list(user_of(request), filters_for(ExpertFilter, filters))


@router.reads("/experts/{expert_id}", ExpertOut, 404, 422)
def get_expert(request: HttpRequest, expert_id: Id) -> ExpertOut:
    """A full profile. `cost_rate` is null unless one belongs to the expert's organisation (or is staff)."""
    user = user_of(request)
    expert = expert_profile(access_expert(user, expert_id))
    out = ExpertOut.model_validate(expert)
    if sees_expert_rates(user, expert):
        out.cost_rate = expert.cost_rate
    return out
