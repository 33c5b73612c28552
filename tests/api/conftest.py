"""API test fixtures: bearer tokens for the cast, and `call`, which checks every answer against OpenAPI.

`call(method, path, user, json=..., data=..., token=...)` sends one request with django.test.Client and
asserts that the status code is declared for the operation and that a JSON body validates against the
declared response schema (jsonschema_rs, which schemathesis brings; `$ref`s resolve against the
components). `user=None` sends no credentials; `token=` overrides the bearer token.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable
from typing import Any, Protocol

import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from kpo.orgs.services import api_token_create
from tests.cast import Cast
from tests.openapi_contract import check_against_openapi

METHODS_WITH_BODY = {"post", "patch", "put"}


class Call(Protocol):
    def __call__(self, method: str, path: str, user: str | None, **kwargs: Any) -> Any: ...


@pytest.fixture
def token_for(cast: Cast) -> Callable[[str], str]:
    """token_for("bob") -> a plain API token for bob (one per user per test)."""
    tokens: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in tokens:
            tokens[name] = api_token_create(user=cast.users()[name], name=f"{name} tests")[1]
        return tokens[name]

    return make


@pytest.fixture
def call(token_for: Callable[[str], str]) -> Call:
    client = Client(enforce_csrf_checks=True)  # as in production: sessions need a CSRF token

    def _call(
        method: str,
        path: str,
        user: str | None,
        *,
        json: Any = None,
        data: Any = None,
        token: str | None = None,
        **extra: Any,
    ) -> Any:
        headers = dict(extra.pop("headers", {}))
        bearer = token if token is not None else (token_for(user) if user else None)
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        send = getattr(client, method.lower())
        if json is not None:
            response = send(
                path, data=jsonlib.dumps(json), content_type="application/json", headers=headers, **extra
            )
        elif "content_type" in extra:  # a raw body
            response = send(path, data=data, headers=headers, **extra)
        elif method.lower() in METHODS_WITH_BODY and data is not None:
            response = send(path, data=data, content_type=MULTIPART_CONTENT, headers=headers, **extra)
        else:
            response = send(path, data=data, headers=headers, **extra)
        check_against_openapi(method, path.split("?")[0], response)
        return response

    return _call
