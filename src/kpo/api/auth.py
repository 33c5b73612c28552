"""API authentication: a personal bearer token, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kpo.orgs.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
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
