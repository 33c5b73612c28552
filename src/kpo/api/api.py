"""The REST API, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from kpo.api.auth import AUTH
from kpo.api.errors import install_error_handlers

api = NinjaAPI(
    title="kpo API",
    version="1",
    description="Knowledge process outsourcing: organisations, experts, engagements and tasks.",
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
