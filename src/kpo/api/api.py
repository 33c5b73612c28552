"""The REST API, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from kpo.api import (
    compliance,
    economics,
    experts,
    matching,
    me,
    orgs,
    quality,
    redaction,
    sla,
    staffing,
    taxonomy,
    vetting,
    work,
)
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

for part in (
    me,
    orgs,
    taxonomy,
    experts,
    work,
    staffing,
    matching,
    economics,
    compliance,
    quality,
    redaction,
    sla,
    vetting,
):
    api.add_router("/", part.router)
