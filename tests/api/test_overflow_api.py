"""The overflow pool through the API: approve and withdraw providers, release a task, list and take
releases, each audited; every eligibility rule still applies to the taker's experts; bad input."""

from __future__ import annotations

from typing import Any

import pytest

from kpo.audit.models import AuditEntry
from kpo.orgs.services import api_token_create
from kpo.work.models import Assignment, OverflowProvider, ReleaseStatus, TaskRelease
from tests.api.conftest import Call
from tests.cast import Cast
from tests.work.overflow_pool import RULES, Pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(cast: Cast) -> Pool:
    return Pool(cast)


@pytest.fixture
def fiona_token(pool: Pool) -> str:
    return api_token_create(user=pool.fiona, name="fiona")[1]


def _providers_url(cast: Cast) -> str:
    return f"/api/engagements/{cast.engagement_a.pk}/overflow-providers"


def _assign_felix(call: Call, pool: Pool, token: str) -> Any:
    """fiona staffs the pool's task with felix, through the API."""
    body = {"expert_id": pool.felix.pk, "role": "maker", "planned_hours": 10}
    return call("post", f"/api/tasks/{pool.task.pk}/assignments", None, token=token, json=body)


def _events(kind: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=kind))


def test_approve_list_and_withdraw_an_overflow_provider(call: Call, cast: Cast, pool: Pool) -> None:
    response = call("post", _providers_url(cast), "alice", json={"provider_id": pool.org.pk})
    assert response.status_code == 201
    approved = response.json()
    assert approved["provider"] == {"id": pool.org.pk, "name": "Fjord Freelance"}
    assert approved["provider_type"] == "freelance_pool"
    assert approved["approved_by"] == cast.alice.get_full_name()
    listed = call("get", _providers_url(cast), "pete").json()
    assert [row["id"] for row in listed["items"]] == [approved["id"]]
    assert len(_events("overflow_approved")) == 1

    assert call("delete", f"/api/overflow-providers/{approved['id']}", "alice").status_code == 204
    assert not OverflowProvider.objects.exists()
    assert call("get", _providers_url(cast), "alice").json()["count"] == 0
    assert len(_events("overflow_removed")) == 1


def test_release_list_and_take_then_staff_with_own_experts(
    call: Call, cast: Cast, pool: Pool, fiona_token: str
) -> None:
    pool.approve()
    reason = {"reason": "Nobody free before the due date"}
    response = call("post", f"/api/tasks/{pool.task.pk}/overflow-release", "pete", json=reason)
    assert response.status_code == 201
    release = response.json()
    assert release["status"] == "open"
    assert release["task"] == {"id": pool.task.pk, "name": "Overflow line study"}
    assert release["client"]["name"] == cast.org_a.name
    assert release["released_by"] == cast.pete.get_full_name()
    assert len(_events("task_released")) == 1

    offered = call("get", "/api/overflow-releases", None, token=fiona_token).json()
    assert [row["id"] for row in offered["items"]] == [release["id"]]
    assert call("get", "/api/overflow-releases", "quinn").json()["count"] == 0  # not approved: nothing

    take = f"/api/overflow-releases/{release['id']}/take"
    taken = call("post", take, None, token=fiona_token, json={"reason": "Felix is free next week"})
    assert taken.status_code == 200
    assert taken.json()["status"] == "taken"
    assert taken.json()["taken_by_organisation"] == {"id": pool.org.pk, "name": "Fjord Freelance"}
    assert taken.json()["take_reason"] == "Felix is free next week"
    assert [entry.details["reason"] for entry in _events("release_taken")] == ["Felix is free next week"]

    again = call("post", take, None, token=fiona_token, json={"reason": "Twice"})
    assert again.status_code == 409
    assert again.json()["errors"] == [{"field": "status", "message": "This release is no longer open."}]

    staffed = _assign_felix(call, pool, fiona_token)
    assert staffed.status_code == 201
    assert Assignment.objects.filter(task=pool.task, expert=pool.felix).exists()


@pytest.mark.parametrize(("breaks", "rule"), RULES)
def test_each_rule_applies_to_a_task_taken_through_the_api(
    call: Call, pool: Pool, fiona_token: str, breaks: Any, rule: str
) -> None:
    pool.approve()
    release = pool.release()
    taken = call(
        "post",
        f"/api/overflow-releases/{release.pk}/take",
        None,
        token=fiona_token,
        json={"reason": "Felix is free"},
    )
    assert taken.status_code == 200
    breaks(pool)
    shortlist = call("get", f"/api/tasks/{pool.task.pk}/shortlist", None, token=fiona_token).json()
    assert pool.felix.pk not in [row["expert"]["id"] for row in shortlist["entries"]]
    why = call("get", f"/api/tasks/{pool.task.pk}/why-not/{pool.felix.pk}", None, token=fiona_token).json()
    assert rule in [failure["rule"] for failure in why["failures"]]
    refused = _assign_felix(call, pool, fiona_token)
    assert refused.status_code in {400, 409}
    assert not Assignment.objects.filter(task=pool.task, expert=pool.felix).exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_release_or_take_needs_a_reason(call: Call, pool: Pool, fiona_token: str, reason: str) -> None:
    pool.approve()
    response = call("post", f"/api/tasks/{pool.task.pk}/overflow-release", "pete", json={"reason": reason})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["reason"]
    assert not TaskRelease.objects.exists()
    release = pool.release()
    response = call(
        "post", f"/api/overflow-releases/{release.pk}/take", None, token=fiona_token, json={"reason": reason}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["reason"]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.OPEN


def test_unknown_and_other_tenants_ids_are_not_found(call: Call, cast: Cast, pool: Pool) -> None:
    pool.approve()
    release = pool.release()
    reason = {"reason": "Nobody free"}
    other = f"/api/engagements/{cast.engagement_b.pk}/overflow-providers"
    assert call("get", other, "alice").status_code == 404
    assert call("post", other, "alice", json={"provider_id": pool.org.pk}).status_code == 404
    assert call("get", "/api/engagements/999999/overflow-providers", "alice").status_code == 404
    assert call("delete", "/api/overflow-providers/999999", "alice").status_code == 404
    task_b = f"/api/tasks/{cast.task_b.pk}/overflow-release"
    assert call("post", task_b, "alice", json=reason).status_code == 404
    assert call("post", f"/api/overflow-releases/{release.pk}/take", "dave", json=reason).status_code == 404
    assert call("post", "/api/overflow-releases/999999/take", "quinn", json=reason).status_code == 404
    approval = OverflowProvider.objects.get()
    assert call("delete", f"/api/overflow-providers/{approval.pk}", "dave").status_code == 404
    assert OverflowProvider.objects.count() == 1
    assert TaskRelease.objects.get().status == ReleaseStatus.OPEN


def test_bad_approvals_name_the_field(call: Call, cast: Cast, pool: Pool) -> None:
    url = _providers_url(cast)
    unknown = call("post", url, "alice", json={"provider_id": 999999})
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.json()["errors"]] == ["provider_id"]
    client = call("post", url, "alice", json={"provider_id": cast.org_b.pk})  # a client, not a provider
    assert client.status_code == 422
    own = call("post", url, "alice", json={"provider_id": cast.provider_p.pk})
    assert own.status_code == 409
    assert own.json()["errors"][0]["field"] == "provider"
    assert call("post", url, "alice", json={"provider_id": pool.org.pk}).status_code == 201
    twice = call("post", url, "alice", json={"provider_id": pool.org.pk})
    assert twice.status_code == 409
    assert "already an overflow provider" in twice.json()["detail"]
    assert call("post", url, "bob", json={"provider_id": cast.provider_q.pk}).status_code == 403
    assert OverflowProvider.objects.count() == 1


def test_a_release_without_an_approved_provider_is_refused(call: Call, pool: Pool) -> None:
    response = call(
        "post", f"/api/tasks/{pool.task.pk}/overflow-release", "bob", json={"reason": "Nobody free"}
    )
    assert response.status_code == 409
    assert "approved no overflow provider" in response.json()["detail"]
    assert not TaskRelease.objects.exists()
