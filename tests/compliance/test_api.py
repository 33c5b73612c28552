"""The compliance API: answers match the OpenAPI schema, bad input is a 422 naming the field."""

from __future__ import annotations

import pytest

from kpo.audit.models import AuditEntry
from kpo.compliance.models import Competitor, CompliancePolicy, ConflictDeclaration, ConflictException
from tests.api.conftest import Call, call, token_for  # noqa: F401  (fixtures)
from tests.cast import Cast
from tests.compliance.helpers import competitor, job, profile

pytestmark = pytest.mark.django_db


def fields(response: object) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}  # type: ignore[attr-defined]


def test_policy_defaults_update_and_bad_months(cast: Cast, call: Call) -> None:  # noqa: F811
    url = f"/api/organisations/{cast.org_a.pk}/compliance-policy"
    answer = call("get", url, "bob").json()
    assert answer["saved"] is False
    assert (answer["cooling_off_months"], answer["sensitive_cooling_off_months"]) == (6, 12)
    for body, field in (
        ({"cooling_off_months": -1, "sensitive_cooling_off_months": 12}, "cooling_off_months"),
        ({"cooling_off_months": 6, "sensitive_cooling_off_months": 500}, "sensitive_cooling_off_months"),
        ({"cooling_off_months": 8, "sensitive_cooling_off_months": 4}, "sensitive_cooling_off_months"),
    ):
        response = call("put", url, "alice", json=body)
        assert response.status_code == 422 and field in fields(response)
    assert not CompliancePolicy.objects.exists()
    assert (
        call("put", url, "bob", json={"cooling_off_months": 1, "sensitive_cooling_off_months": 2}).status_code
        == 403
    )
    response = call("put", url, "alice", json={"cooling_off_months": 3, "sensitive_cooling_off_months": 9})
    assert response.status_code == 200 and response.json()["saved"] is True
    assert (
        call("get", f"/api/organisations/{cast.provider_p.pk}/compliance-policy", "pete").status_code == 404
    )


def test_competitors_create_list_delete(cast: Cast, call: Call) -> None:  # noqa: F811
    url = f"/api/organisations/{cast.org_a.pk}/competitors"
    created = call(
        "post", url, "alice", json={"name": "Rival Bank A/S", "organisation_id": cast.provider_q.pk}
    )
    assert created.status_code == 201
    assert created.json()["organisation"] == {"id": cast.provider_q.pk, "name": cast.provider_q.name}
    assert call("post", url, "alice", json={"name": "RIVAL BANK"}).status_code == 422
    unknown = call("post", url, "alice", json={"name": "Hidden", "organisation_id": cast.org_b.pk})
    assert unknown.status_code == 422 and fields(unknown) == {"organisation_id"}  # B is not visible to A
    assert [c["name"] for c in call("get", url, "aud").json()["items"]] == ["Rival Bank A/S"]
    competitor_id = created.json()["id"]
    assert call("delete", f"/api/competitors/{competitor_id}", "bob").status_code == 403
    assert call("delete", f"/api/competitors/{competitor_id}", "dave").status_code == 404
    assert call("delete", f"/api/competitors/{competitor_id}", "alice").status_code == 204
    assert not Competitor.objects.exists()


def test_transfer_countries_and_engagement_residency(cast: Cast, call: Call) -> None:  # noqa: F811
    url = f"/api/organisations/{cast.org_a.pk}/transfer-countries"
    unknown = call("post", url, "alice", json={"country": "XX", "mechanism": "scc"})
    assert unknown.status_code == 422 and fields(unknown) == {"country"}
    allowed = call("post", url, "alice", json={"country": "DE", "mechanism": "scc"})
    assert allowed.status_code == 422 and fields(allowed) == {"country"}
    no_note = call("post", url, "alice", json={"country": "IN", "mechanism": "other"})
    assert no_note.status_code == 422 and fields(no_note) == {"note"}
    created = call("post", url, "alice", json={"country": "IN", "mechanism": "scc", "note": "2021 SCCs"})
    assert created.status_code == 201 and created.json()["recorded_by"] == "Alice Admin"
    residency_url = f"/api/engagements/{cast.engagement_a.pk}/residency"
    answer = call("get", residency_url, "pete").json()
    assert answer["contains_personal_data"] is False and answer["allowed_countries"] is None
    cast.engagement_a.contains_personal_data = True
    cast.engagement_a.save()
    answer = call("get", residency_url, "pete").json()
    assert {"IN", "DK", "CH", "US", "NO"} <= set(answer["allowed_countries"])
    assert "BR" not in answer["allowed_countries"]
    assert call("delete", f"/api/transfer-countries/{created.json()['id']}", "alice").status_code == 204
    assert AuditEntry.objects.filter(event="residency_changed").count() == 2


def test_my_conflicts(cast: Cast, call: Call) -> None:  # noqa: F811
    assert call("post", "/api/me/conflicts", "dave", json={"name": "Rival"}).status_code == 404  # no profile
    blank = call("post", "/api/me/conflicts", "carol", json={"name": ""})
    assert blank.status_code == 422 and fields(blank) == {"name"}
    hidden = call("post", "/api/me/conflicts", "carol", json={"client_id": cast.org_b.pk})
    assert hidden.status_code == 422 and fields(hidden) == {"client_id"}
    created = call("post", "/api/me/conflicts", "carol", json={"client_id": cast.org_a.pk, "note": "cousin"})
    assert created.status_code == 201 and created.json()["client"]["id"] == cast.org_a.pk
    assert call("get", "/api/me/conflicts", "erin").json()["items"] == []
    assert len(call("get", "/api/me/conflicts", "carol").json()["items"]) == 1
    conflict_id = created.json()["id"]
    assert call("delete", f"/api/me/conflicts/{conflict_id}", "erin").status_code == 404
    assert call("delete", f"/api/me/conflicts/{conflict_id}", "carol").status_code == 204
    assert not ConflictDeclaration.objects.exists()


def test_exceptions(cast: Cast, call: Call) -> None:  # noqa: F811
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", None)
    url = f"/api/engagements/{cast.engagement_a.pk}/conflict-exceptions"
    blank = call("post", url, "pete", json={"expert_id": erin.pk, "justification": "   "})
    assert blank.status_code == 422 and fields(blank) == {"justification"}
    empty = call("post", url, "pete", json={"expert_id": erin.pk, "justification": ""})
    assert empty.status_code == 422 and fields(empty) == {"justification"}
    no_conflict = call("post", url, "pete", json={"expert_id": profile(cast, "rex").pk, "justification": "x"})
    assert no_conflict.status_code == 409 and fields(no_conflict) == {"expert"}
    assert call("post", url, "bob", json={"expert_id": erin.pk, "justification": "x"}).status_code == 403
    created = call("post", url, "pete", json={"expert_id": erin.pk, "justification": "Reviewed by legal."})
    assert created.status_code == 201
    assert created.json()["conflict"] == f"works at Rival Bank, a competitor of {cast.org_a.name}"
    listed = call("get", url, "aud").json()["items"]
    assert [item["justification"] for item in listed] == ["Reviewed by legal."]
    assert call("get", url, "carol").status_code == 403
    exception_id = created.json()["id"]
    assert call("delete", f"/api/conflict-exceptions/{exception_id}", "dave").status_code == 404
    assert call("delete", f"/api/conflict-exceptions/{exception_id}", "alice").status_code == 204
    assert not ConflictException.objects.exists()
