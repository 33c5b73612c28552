"""The REST API, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from kpo.api import (
    benches,
    capacity,
    compliance,
    confidentiality,
    contracts,
    economics,
    experts,
    forecast,
    glossary,
    matching,
    me,
    orgs,
    overflow,
    quality,
    redaction,
    sla,
    staffing,
    taxonomy,
    team,
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
    # Swagger UI comes from ninja's static files ("ninja" is an installed app); without a validator URL it
    # does not send the schema to validator.swagger.io: the docs page loads nothing from another host.
    docs=Swagger(settings={"validatorUrl": None}),
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
    confidentiality,
    quality,
    redaction,
    glossary,
    sla,
    vetting,
    contracts,
    capacity,
    team,
    overflow,
    benches,
    forecast,
):
    api.add_router("/", part.router)
