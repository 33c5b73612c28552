"""Organisations: one's own and the provider directory; members of one's own organisations."""

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Schema

from kpo.api.outputs import person_name
from kpo.api.routing import ApiRouter
from kpo.api.schemas import OMITTED, Id, user_of
from kpo.orgs.access import access_organisation, access_own_organisation
from kpo.orgs.models import Membership, Organisation
from kpo.orgs.selectors import organisation_list, organisation_members

router = ApiRouter(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    provider_type: str
    parent_id: int | None
    country: str
    time_zone: str
    currency: str
    description: str


class MemberOut(Schema):
    user_id: int
    username: str
    name: str
    role: str

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return person_name(obj.user)


class OrganisationFilter(Schema):
    kind: Literal["client", "provider"] = OMITTED


@router.lists("/organisations", OrganisationOut, 422)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]) -> QuerySet[Organisation]:
    """One's own organisations and every provider (the directory clients choose from)."""
    return organisation_list(user_of(request), kind=filters.kind or "")


@router.reads("/organisations/{organisation_id}", OrganisationOut, 404, 422)
def get_organisation(request: HttpRequest, organisation_id: Id) -> Organisation:
    return access_organisation(user_of(request), organisation_id)


@router.lists("/organisations/{organisation_id}/members", MemberOut, 404, 422)
def list_organisation_members(request: HttpRequest, organisation_id: Id) -> list[Membership]:
    """Members of one of one's own organisations (others answer 404)."""
    organisation = access_own_organisation(user_of(request), organisation_id)
    return organisation_members(organisation)
