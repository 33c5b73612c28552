"""Talent benches through the API: list, create and rename benches, invite, list and remove members, each
audited; the same rules as the pages (only experts the client worked with, once per bench); bad input."""

from __future__ import annotations

import pytest

from kpo.audit.models import AuditEntry
from kpo.matching.models import BenchMember, TalentBench
from kpo.notices.models import Notice
from tests.api.conftest import Call
from tests.cast import Cast
from tests.work.overflow_pool import delivered_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_with(cast: Cast) -> int:
    """erin delivered a task of client A: she may go on its benches (returns her expert id)."""
    delivered_by(cast, cast.erin.expert_profile)
    return cast.erin.expert_profile.pk


def _benches(cast: Cast) -> str:
    return f"/api/organisations/{cast.org_a.pk}/benches"


def _changes() -> list[str]:
    return [
        entry.details["action"] for entry in AuditEntry.objects.filter(event="bench_changed").order_by("id")
    ]


def test_create_rename_invite_list_and_remove(call: Call, cast: Cast, worked_with: int) -> None:
    created = call("post", _benches(cast), "alice", json={"name": "  Trusted line engineers "})
    assert created.status_code == 201
    bench = created.json()
    assert (bench["name"], bench["member_count"], bench["client_id"]) == (
        "Trusted line engineers",
        0,
        cast.org_a.pk,
    )
    renamed = call("patch", f"/api/benches/{bench['id']}", "alice", json={"name": "Line engineers"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Line engineers"

    invited = call(
        "post",
        f"/api/benches/{bench['id']}/members",
        "alice",
        json={"expert_id": worked_with, "note": "Fast"},
    )
    assert invited.status_code == 201
    member = invited.json()
    assert member["expert"] == {"id": worked_with, "name": cast.erin.expert_profile.display_name}
    assert member["organisation"]["id"] == cast.provider_p.pk
    assert member["note"] == "Fast"
    assert Notice.objects.filter(user=cast.erin, kind="bench_invited").count() == 1

    listed = call("get", _benches(cast), "bob").json()  # a requester reads them
    assert [(row["name"], row["member_count"]) for row in listed["items"]] == [("Line engineers", 1)]
    members = call("get", f"/api/benches/{bench['id']}/members", "aud").json()
    assert [row["id"] for row in members["items"]] == [member["id"]]

    assert call("delete", f"/api/bench-members/{member['id']}", "alice").status_code == 204
    assert not BenchMember.objects.exists()
    assert _changes() == ["created", "renamed", "added", "removed"]


def test_a_duplicate_member_or_one_the_client_never_worked_with_is_refused(
    call: Call, cast: Cast, worked_with: int
) -> None:
    bench = TalentBench.objects.create(client=cast.org_a, name="Reviewers", created_by=cast.alice)
    url = f"/api/benches/{bench.pk}/members"
    assert call("post", url, "alice", json={"expert_id": worked_with}).status_code == 201
    twice = call("post", url, "alice", json={"expert_id": worked_with})
    assert twice.status_code == 409
    assert twice.json()["errors"][0]["field"] == "expert"
    assert "already on this bench" in twice.json()["detail"]
    never = call("post", url, "alice", json={"expert_id": cast.carol.expert_profile.pk})  # nothing delivered
    assert never.status_code == 409
    assert "has not delivered a task" in never.json()["detail"]
    unknown = call("post", url, "alice", json={"expert_id": 999999})
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.json()["errors"]] == ["expert_id"]
    assert BenchMember.objects.count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "bad\x00name"])
def test_a_bench_needs_a_name(call: Call, cast: Cast, name: str) -> None:
    bench = TalentBench.objects.create(client=cast.org_a, name="Reviewers", created_by=cast.alice)
    for method, url in (("post", _benches(cast)), ("patch", f"/api/benches/{bench.pk}")):
        response = call(method, url, "alice", json={"name": name})
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["name"]
    assert list(TalentBench.objects.values_list("name", flat=True)) == ["Reviewers"]


def test_bench_names_are_unique_per_client_whatever_the_case(call: Call, cast: Cast) -> None:
    TalentBench.objects.create(client=cast.org_a, name="Reviewers", created_by=cast.alice)
    other = TalentBench.objects.create(client=cast.org_a, name="Analysts", created_by=cast.alice)
    clash = call("post", _benches(cast), "alice", json={"name": "reviewers"})
    assert clash.status_code == 409
    assert clash.json()["errors"] == [
        {"field": "name", "message": "There is already a bench named reviewers."}
    ]
    rename = call("patch", f"/api/benches/{other.pk}", "alice", json={"name": "REVIEWERS"})
    assert rename.status_code == 409
    same = call("patch", f"/api/benches/{other.pk}", "alice", json={"name": "Analysts"})  # its own name
    assert same.status_code == 200
    assert _changes() == []  # nothing changed, nothing audited


def test_other_tenants_and_unknown_ids_are_not_found(call: Call, cast: Cast) -> None:
    bench = TalentBench.objects.create(client=cast.org_a, name="Reviewers", created_by=cast.alice)
    member = BenchMember.objects.create(bench=bench, expert=cast.carol.expert_profile, added_by=cast.alice)
    assert call("get", _benches(cast), "dave").status_code == 404
    assert call("post", _benches(cast), "dave", json={"name": "Mine"}).status_code == 404
    assert call("get", f"/api/organisations/{cast.org_b.pk}/benches", "alice").status_code == 404
    assert call("get", f"/api/organisations/{cast.provider_p.pk}/benches", "pete").status_code == 404
    assert call("patch", f"/api/benches/{bench.pk}", "dave", json={"name": "Mine"}).status_code == 404
    assert call("get", f"/api/benches/{bench.pk}/members", "quinn").status_code == 404
    assert call("delete", f"/api/bench-members/{member.pk}", "dave").status_code == 404
    assert call("get", "/api/benches/999999/members", "alice").status_code == 404
    assert call("delete", "/api/bench-members/999999", "alice").status_code == 404
    assert call("patch", f"/api/benches/{bench.pk}", "bob", json={"name": "Mine"}).status_code == 403
    assert list(TalentBench.objects.values_list("name", flat=True)) == ["Reviewers"]
    assert BenchMember.objects.count() == 1
