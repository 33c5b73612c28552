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

api.add_router("/", me.router)
api.add_router("/", orgs.router)
api.add_router("/", taxonomy.router)
api.add_router("/", experts.router)
api.add_router("/", work.router)
api.add_router("/", staffing.router)
api.add_router("/", matching.router)
api.add_router("/", economics.router)
api.add_router("/", compliance.router)
api.add_router("/", quality.router)
api.add_router("/", redaction.router)
api.add_router("/", sla.router)
api.add_router("/", vetting.router)
