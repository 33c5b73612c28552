"""Cross-tenant isolation (dave never sees client A's data) and read-only auditors."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpo.experts.models import ExpertProfile
from kpo.orgs.models import ApiToken
from kpo.work.models import (
    Assignment,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskDocument,
    TaskTransition,
    TimeEntry,
)
from tests.api.conftest import Call
from tests.cast import SECRET_A, Cast
from tests.openapi_contract import openapi
from tests.test_authorisation_matrix import API_RULES

pytestmark = pytest.mark.django_db

WRITTEN = (
    Engagement,
    Task,
    TaskTransition,
    Assignment,
    TaskDocument,
    Deliverable,
    DeliverableVersion,
    TimeEntry,
    Message,
)


def _snapshot() -> list[list[dict[str, Any]]]:
    return [list(model.objects.order_by("pk").values()) for model in WRITTEN]  # type: ignore[attr-defined]


def _a_urls(cast: Cast) -> dict[str, str]:
    """Every task-A / engagement-A URL of the schema, with client A's ids filled in."""
    ids = {
        "engagement_id": cast.engagement_a.pk,
        "task_id": cast.task_a.pk,
        "document_id": cast.document_a.pk,
        "deliverable_id": cast.deliverable_a.pk,
        "version_id": cast.version_a.pk,
        "assignment_id": cast.assignment_a.pk,
        "expert_id": cast.carol.expert_profile.pk,
    }
    urls = {}
    for template, item in openapi()["paths"].items():
        if "{engagement_id}" in template or "{task_id}" in template:
            for method in item:
                urls[f"{method} {template}"] = template.format(**{k: v for k, v in ids.items()})
    return urls


def _bodies(cast: Cast) -> dict[str, Any]:
    """A valid body per write, so the request reaches the access check; the matrix's sample otherwise."""
    bodies = _listed_bodies(cast)
    for template, item in openapi()["paths"].items():
        for method, operation in item.items():
            key = f"{method} {template}"
            rule = API_RULES.get(operation["operationId"])
            if method == "get" or key in bodies or rule is None or rule.body is None:
                continue
            if rule.files:
                bodies[key] = {"data": {**rule.body, "file": SimpleUploadedFile("a.txt", b"text")}}
            else:
                bodies[key] = {"json": rule.body}
    return bodies


def _listed_bodies(cast: Cast) -> dict[str, Any]:
    return {
        "patch /api/engagements/{engagement_id}": {"json": {"title": "Mine"}},
        "post /api/engagements/{engagement_id}/tasks": {
            "json": {"title": "x", "description": "x", "effort_hours": 1, "due_at": "2026-12-01T00:00:00Z"}
        },
        "patch /api/tasks/{task_id}": {"json": {"title": "Mine"}},
        "post /api/tasks/{task_id}/transitions": {"json": {"status": "on_hold", "comment": "mine"}},
        "post /api/tasks/{task_id}/assignments": {
            "json": {"expert_id": cast.erin.expert_profile.pk, "role": "maker", "planned_hours": 1}
        },
        "post /api/tasks/{task_id}/documents": {"data": {"file": SimpleUploadedFile("a.txt", b"text")}},
        "post /api/tasks/{task_id}/deliverables": {"data": {"file": SimpleUploadedFile("a.txt", b"text")}},
        "post /api/tasks/{task_id}/time-entries": {
            "json": {"date": "2026-11-03", "hours": 1, "description": "x"}
        },
        "post /api/tasks/{task_id}/messages": {"json": {"body": "hello"}},
        # commercials (kpo.api.economics.commercials)
        "post /api/engagements/{engagement_id}/time-decisions": {
            "json": {"entry_ids": [cast.time_entry_a.pk], "decision": "approved"}
        },
        "post /api/engagements/{engagement_id}/milestones": {"json": {"title": "Mine", "amount": 1}},
        "post /api/engagements/{engagement_id}/invoices": {
            "json": {"period_start": "2026-01-01", "period_end": "2026-12-31"}
        },
        # compliance (kpo.api.compliance)
        "post /api/engagements/{engagement_id}/conflict-exceptions": {
            "json": {"expert_id": cast.carol.expert_profile.pk, "justification": "Reviewed and cleared."}
        },
    }


@pytest.mark.parametrize("who", ["dave", "quinn"])
def test_other_tenants_get_404_on_every_a_url(cast: Cast, call: Call, who: str) -> None:
    urls = _a_urls(cast)
    assert len(urls) >= 20
    bodies = _bodies(cast)
    before = _snapshot()
    for key, url in urls.items():
        method = key.split()[0]
        response = call(method.upper(), url, who, **bodies.get(key, {}))
        assert response.status_code == 404, key
        assert SECRET_A.encode() not in response.content, key
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["dave", "quinn", "erin"])
def test_lists_never_leak_client_a(cast: Cast, call: Call, who: str) -> None:
    for path, query in (
        ("/api/engagements", {}),
        ("/api/engagements", {"q": "Zephyr"}),
        ("/api/tasks", {}),
        ("/api/tasks", {"q": "Zephyr"}),
        ("/api/experts", {}),
        ("/api/experts", {"q": "Zephyr"}),
        ("/api/experts", {"internal": "true"}),
        ("/api/organisations", {}),
        ("/api/me", {}),
    ):
        response = call("GET", path, who, data=query)
        assert response.status_code == 200
        assert SECRET_A.encode() not in response.content, (path, query)
    assert call("GET", f"/api/organisations/{cast.org_a.pk}", who).status_code == 404
    assert call("GET", f"/api/experts/{cast.ivan_profile.pk}", who).status_code == 404


def test_cost_rate_hidden_from_clients_everywhere(cast: Cast, call: Call) -> None:
    for who in ("alice", "bob", "aud", "dave"):
        for profile in ExpertProfile.objects.filter(organisation=cast.provider_p):
            body = call("GET", f"/api/experts/{profile.pk}", who).json()
            assert body["cost_rate"] is None and body["bill_rate"] == "60.00"
        listing = call("GET", "/api/experts", who).json()
        assert all("cost_rate" not in item for item in listing["items"])


def test_auditor_reads_everything_of_the_org(cast: Cast, call: Call) -> None:
    assert call("GET", f"/api/engagements/{cast.engagement_a.pk}", "aud").status_code == 200
    assert call("GET", "/api/tasks", "aud").json()["count"] == 2
    for suffix in ("", "/assignments", "/documents", "/deliverables", "/time-entries", "/messages"):
        assert call("GET", f"/api/tasks/{cast.task_a.pk}{suffix}", "aud").status_code == 200


def test_auditor_writes_are_refused_and_change_nothing(cast: Cast, call: Call) -> None:
    before = _snapshot()
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        (
            "POST",
            "/api/engagements",
            {
                "json": {
                    "client": cast.org_a.pk,
                    "provider": cast.provider_p.pk,
                    "title": "Audit",
                    "objective": "x",
                    "domain": "legal_services",
                    "budget": "1",
                    "currency": "DKK",
                    "start_date": "2026-12-01",
                }
            },
        ),
    ]
    bodies = _bodies(cast)
    for key, url in _a_urls(cast).items():
        method = key.split()[0]
        if method != "get":
            attempts.append((method.upper(), url, bodies.get(key, {})))
    for method, url, kwargs in attempts:
        response = call(method, url, "aud", **kwargs)
        assert response.status_code in (403, 409), (method, url, response.status_code)
        assert response.json()["detail"]
    assert _snapshot() == before
    token = ApiToken.objects.filter(user=cast.aud).count()
    assert token == 1  # the auditor's own bearer token, nothing else
