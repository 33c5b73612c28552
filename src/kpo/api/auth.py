"""API authentication: a personal bearer token, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kpo.orgs.services import api_token_authenticate

TOKEN_CREDENTIALS = {"api_token": "********"}  # counted per address (kpo.site.lockout), naming no account


class ApiTokenAuth(HttpBearer):
    """A bearer token; failed tokens count towards the address's sign-in lock-out, whose 429 the axes
    middleware answers (request.axes_locked_out)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = TOKEN_CREDENTIALS  # type: ignore[attr-defined]
            return None
        user = api_token_authenticate(token)
        if user is None:
            user_login_failed.send(sender=type(self), credentials=TOKEN_CREDENTIALS, request=request)
            return None
        request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser session; its CSRF check runs only when someone is signed in, so no credentials is a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [ApiTokenAuth(), SignedInSession()]
