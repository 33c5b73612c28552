"""API authentication: a personal bearer token, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from kpo.orgs.models import ApiToken
from kpo.orgs.services import ExpiredToken, api_token_authenticate

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenExpired(AuthenticationError):
    """A 401 whose message says the token has expired and what to do."""

    def __init__(self, error: ExpiredToken) -> None:
        when = date_format(error.token.expires_at, "DATETIME_FORMAT")
        super().__init__(
            message=_("This API token expired on %(when)s. Create a new one on the API tokens page.")
            % {"when": when}
        )


TOKEN_CREDENTIALS = {"api_token": "********"}  # counted per address (kpo.site.lockout), naming no account


class ApiTokenAuth(HttpBearer):
    """A bearer token; failed tokens count towards the address's sign-in lock-out, whose 429 the axes
    middleware answers (request.axes_locked_out)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = TOKEN_CREDENTIALS  # type: ignore[attr-defined]
            return None
        try:
            found = api_token_authenticate(token)
        except ExpiredToken as error:
            raise TokenExpired(error) from None
        if found is None:
            user_login_failed.send(sender=type(self), credentials=TOKEN_CREDENTIALS, request=request)
            return None
        if found.read_only and request.method not in READING_METHODS:
            raise PermissionDenied(_("This API token is read-only: it may only read (GET)."))
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def bearer_token_of(request: HttpRequest) -> ApiToken | None:
    """The API token this request signed in with; None for the browser session."""
    return getattr(request, "api_token", None)


class SignedInSession(SessionAuth):
    """The browser session; its CSRF check runs only when someone is signed in, so no credentials is a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [ApiTokenAuth(), SignedInSession()]
