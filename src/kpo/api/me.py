"""Who am I, and my personal API tokens."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, Name, user_of
from kpo.core.access import get_visible_or_404
from kpo.orgs.models import ApiToken, Membership
from kpo.orgs.selectors import api_tokens_of, memberships_of
from kpo.orgs.services import api_token_create, api_token_revoke

router = ApiRouter(tags=["me"])


class MembershipOrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str


class MembershipOut(Schema):
    organisation: MembershipOrganisationOut
    role: str


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: Name


@router.reads("/me", MeOut)
def get_me(request: HttpRequest) -> dict[str, object]:
    user = user_of(request)
    memberships: list[Membership] = memberships_of(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_staff": user.is_staff,
        "memberships": memberships,
    }


@router.lists("/tokens", TokenOut, 422)
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return api_tokens_of(user_of(request))


@router.creates("/tokens", TokenCreatedOut, 400, 403, 422)
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    """Create a token. The plain `token` is in this answer only: it is stored hashed and never shown again."""
    token, plain = api_token_create(user=user_of(request), name=payload.name)
    return {**TokenOut.model_validate(token).model_dump(), "token": plain}


@router.deletes("/tokens/{token_id}", 403, 404, 422)
def revoke_token(request: HttpRequest, token_id: Id) -> None:
    user = user_of(request)
    token = get_visible_or_404(api_tokens_of(user), token_id)
    api_token_revoke(user=user, token=token)
