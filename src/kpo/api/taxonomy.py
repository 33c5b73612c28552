"""The fixed vocabularies: the eight KPO domains and the ESCO skills."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Schema

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Search, user_of
from kpo.experts.models import DomainChoice, EscoSkill
from kpo.experts.selectors import skill_search

router = ApiRouter(tags=["taxonomy"])


class DomainOut(Schema):
    code: str
    label: str


class SkillOut(Schema):
    id: int
    uri: str
    label: str


class SkillFilter(Schema):
    q: Search = ""


@router.reads("/taxonomy/domains", list[DomainOut])
def list_domains(request: HttpRequest) -> list[dict[str, str]]:
    user_of(request)
    return [{"code": str(code), "label": str(label)} for code, label in DomainChoice.choices]


@router.lists("/taxonomy/skills", SkillOut, 422)
def list_skills(request: HttpRequest, filters: Query[SkillFilter]) -> QuerySet[EscoSkill]:
    """ESCO skills whose label contains `q`."""
    user_of(request)
    return skill_search(filters.q.strip())
