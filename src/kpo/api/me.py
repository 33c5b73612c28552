"""Who am I, my personal API tokens and my e-mail settings."""

import datetime as dt
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from kpo.api.auth import bearer_token_of
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, Name, user_of
from kpo.core.access import get_visible_or_404
from kpo.notices.kinds import CATEGORY_CODES, EMAIL_CATEGORIES
from kpo.notices.models import NoticePreferences
from kpo.notices.selectors import email_language, preferences_of
from kpo.notices.services import preferences_save
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
    expires_at: dt.datetime = Field(
        description="When the token stops working (KPO_TOKEN_DAYS after creation)."
    )
    read_only: bool = Field(description="A read-only token may only read (GET); any other call answers 403.")


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: Name
    read_only: bool = Field(False, description="Make a token that may only read (GET).")


def _known_language(code: str) -> str:
    if code not in dict(settings.LANGUAGES):
        raise ValueError(
            f"{code!r} is not a language kpo speaks; use one of {', '.join(dict(settings.LANGUAGES))}."
        )
    return code


def _known_category(code: str) -> str:
    if code not in CATEGORY_CODES:
        raise ValueError(f"{code!r} is not a kind of e-mail; the kinds are {', '.join(CATEGORY_CODES)}.")
    return code


EmailLanguage = Annotated[str, Field(max_length=10), AfterValidator(_known_language)]
EmailCategoryCode = Annotated[str, Field(max_length=40), AfterValidator(_known_category)]


class EmailCategoryOut(Schema):
    code: str
    label: str
    wanted: bool


class EmailPreferencesOut(Schema):
    address: str = Field(description="Where the e-mails go (the account's address; empty: none are sent).")
    language: str = Field(description="The language the e-mails are written in.")
    categories: list[EmailCategoryOut] = Field(description="Each kind of e-mail and whether it is sent.")


class EmailPreferencesIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"language": "da", "categories": ["task_assigned", "review_result"]}]}
    )

    language: EmailLanguage
    categories: list[EmailCategoryCode] = Field(
        max_length=len(CATEGORY_CODES),
        description="The codes of the kinds wanted; the others are turned off.",
    )


def _preferences_out(address: str, preferences: NoticePreferences) -> EmailPreferencesOut:
    muted = set(preferences.muted_categories or [])
    return EmailPreferencesOut(
        address=address,
        language=email_language(preferences),
        categories=[
            EmailCategoryOut(code=category.code, label=str(category.label), wanted=category.code not in muted)
            for category in EMAIL_CATEGORIES
        ],
    )


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
    """Create a token. The plain `token` is in this answer only: it is stored hashed and never shown again.

    Only a signed-in browser session may create tokens; a call with a bearer token answers 403.
    """
    if bearer_token_of(request) is not None:
        raise PermissionDenied(
            _("An API token cannot create tokens. Sign in and create one on the API tokens page.")
        )
    token, plain = api_token_create(user=user_of(request), name=payload.name, read_only=payload.read_only)
    return {**TokenOut.model_validate(token).model_dump(), "token": plain}


@router.deletes("/tokens/{token_id}", 403, 404, 422)
def revoke_token(request: HttpRequest, token_id: Id) -> None:
    user = user_of(request)
    token = get_visible_or_404(api_tokens_of(user), token_id)
    api_token_revoke(user=user, token=token)


@router.reads("/me/email-preferences", EmailPreferencesOut)
def get_email_preferences(request: HttpRequest) -> EmailPreferencesOut:
    """Which e-mails kpo sends you and in which language (invitations are always sent)."""
    user = user_of(request)
    return _preferences_out(user.email, preferences_of(user))


@router.writes("PUT", "/me/email-preferences", EmailPreferencesOut, 400, 409, 422)
def update_email_preferences(request: HttpRequest, payload: EmailPreferencesIn) -> EmailPreferencesOut:
    """Choose the language of your e-mails and the kinds you want; every kind not listed is turned off."""
    user = user_of(request)
    preferences = preferences_save(user=user, language=payload.language, email_categories=payload.categories)
    return _preferences_out(user.email, preferences)
