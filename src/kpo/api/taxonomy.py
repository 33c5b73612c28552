"""The fixed vocabularies: the eight KPO domains and the ESCO skills."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kpo.api.schemas import Pagination, Search, responses, user_of
from kpo.experts.models import DomainChoice, EscoSkill
from kpo.experts.selectors import skill_search

router = Router(tags=["taxonomy"])


class DomainOut(Schema):
    code: str
    label: str


class SkillOut(Schema):
    id: int
    uri: str
    label: str


class SkillFilter(Schema):
    q: Search = ""


@router.get("/taxonomy/domains", response=responses({200: list[DomainOut]}), operation_id="list_domains")
def list_domains(request: HttpRequest) -> list[dict[str, str]]:
    user_of(request)
    return [{"code": str(code), "label": str(label)} for code, label in DomainChoice.choices]


@router.get("/taxonomy/skills", response=responses({200: list[SkillOut]}, 422), operation_id="list_skills")
@paginate(Pagination)
def list_skills(request: HttpRequest, filters: Query[SkillFilter]) -> QuerySet[EscoSkill]:
    """ESCO skills whose label contains `q`."""
    user_of(request)
    return skill_search(filters.q.strip())
