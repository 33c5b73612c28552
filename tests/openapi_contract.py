"""The API contract in tests: every response's status is declared and its JSON body fits the schema."""

from __future__ import annotations

import json as jsonlib
import re
from functools import cache
from typing import Any

import jsonschema_rs

from kpo.api.api import api


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
