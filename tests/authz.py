"""The authorisation matrix, generated from the URL configuration and the OpenAPI schema.

Every web route and every API operation must have an entry here; a route without one fails the test.
An entry says who may reach the route at all and, for API writes, a sample body that passes input
validation, so the request reaches the access check instead of stopping at a 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # no sign-in needed, shows no tenant data
SIGNED_IN = "signed_in"  # any signed-in user; shows only what that user may see
OBJECT = "object"  # reaches objects named by the URL's ids


@dataclass(frozen=True)
class Rule:
    access: str
    body: dict[str, Any] | None = None
    self_service: bool = False  # acts on the caller's own account (tokens, password): auditors may use it
    files: bool = False  # multipart upload


@dataclass(frozen=True)
class Route:
    key: str  # URL name, or API operation id
    path: str  # Django route pattern or OpenAPI path template
    method: str
    kwargs: tuple[str, ...] = field(default_factory=tuple)


IGNORED_NAMESPACES = ("api:",)  # API operations are covered through the OpenAPI schema instead


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern), pattern


def web_routes() -> list[Route]:
    routes = []
    for name, path, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        if name.startswith(IGNORED_NAMESPACES) and name not in {
            "api:openapi-json",
            "api:openapi-view",
            "api:api-root",
        }:
            continue
        routes.append(Route(key=name, path=path, method="*", kwargs=tuple(pattern.pattern.converters)))
    return routes


def api_routes(schema: dict[str, Any]) -> list[Route]:
    routes = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "path")
            routes.append(
                Route(key=operation["operationId"], path=path, method=method.upper(), kwargs=params)
            )
    return routes
