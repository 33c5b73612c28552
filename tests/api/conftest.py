"""API test fixtures: bearer tokens for the cast, and `call`, which checks every answer against OpenAPI.

`call(method, path, user, json=..., data=..., token=...)` sends one request with django.test.Client and
asserts that the status code is declared for the operation and that a JSON body validates against the
declared response schema (jsonschema_rs, which schemathesis brings; `$ref`s resolve against the
components). `user=None` sends no credentials; `token=` overrides the bearer token.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

import jsonschema_rs
import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from kpo.api.api import api
from kpo.orgs.services import api_token_create
from tests.cast import Cast

METHODS_WITH_BODY = {"post", "patch", "put"}


class Call(Protocol):
    def __call__(self, method: str, path: str, user: str | None, **kwargs: Any) -> Any: ...


@cache
def openapi() -> dict[str, Any]:
    """The schema as /api/openapi.json serves it (JSON: status codes are string keys)."""
    return jsonlib.loads(jsonlib.dumps(api.get_openapi_schema()))  # type: ignore[no-any-return]


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in openapi()["paths"]:
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
        patterns.append((re.compile(regex), template))
    # literal paths before templated ones, so /tasks/x/documents does not match a looser template
    return sorted(patterns, key=lambda item: item[1].count("{"))


def operation_for(method: str, path: str) -> dict[str, Any]:
    for regex, template in _templates():
        if regex.match(path) and method.lower() in openapi()["paths"][template]:
            return openapi()["paths"][template][method.lower()]  # type: ignore[no-any-return]
    raise AssertionError(f"{method} {path} is not an operation of the OpenAPI schema")


@cache
def _validator(operation_id: str, status: str) -> Any:
    for path_item in openapi()["paths"].values():
        for operation in path_item.values():
            if operation["operationId"] == operation_id:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                root = {**schema, "components": openapi()["components"]}
                return jsonschema_rs.Draft202012Validator(root)
    raise AssertionError(operation_id)


def check_against_openapi(method: str, path: str, response: Any) -> None:
    operation = operation_for(method, path)
    status = str(response.status_code)
    declared = operation["responses"]
    assert status in declared, f"{method} {path}: status {status} is not declared ({sorted(declared)})"
    content = declared[status].get("content", {})
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if not content:
        assert not response.content, f"{method} {path}: {status} has an undeclared body"
        return
    assert content_type in content, f"{method} {path}: {content_type} not in {sorted(content)}"
    if content_type == "application/json":
        body = jsonlib.loads(response.content)
        errors = [str(e) for e in _validator(operation["operationId"], status).iter_errors(body)]
        assert not errors, f"{method} {path} {status}: body breaks the schema: {errors[:3]}"


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
