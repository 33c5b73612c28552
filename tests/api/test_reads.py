"""The read side of the API for the right cast members: me, organisations, taxonomy, experts, work."""

from __future__ import annotations

import pytest

from kpo.confidentiality.models import Download
from kpo.engine.watermark import normalise, trace
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_me(cast: Cast, call: Call) -> None:
    body = call("GET", "/api/me", "pete").json()
    assert body["username"] == "pete" and body["is_staff"] is False
    assert body["memberships"] == [
        {
            "organisation": {
                "id": cast.provider_p.pk,
                "name": "Pinnacle Insight",
                "slug": "pinnacle",
                "kind": "provider",
            },
            "role": "provider_manager",
        }
    ]
    assert call("GET", "/api/me", "ops").json()["is_staff"] is True


def test_organisations(cast: Cast, call: Call) -> None:
    body = call("GET", "/api/organisations", "bob").json()
    ids = {item["id"] for item in body["items"]}
    assert body["count"] == len(ids) == 3
    assert ids == {cast.org_a.pk, cast.provider_p.pk, cast.provider_q.pk}
    clients = call("GET", "/api/organisations", "bob", data={"kind": "client"}).json()
    assert [item["id"] for item in clients["items"]] == [cast.org_a.pk]
    assert call("GET", "/api/organisations", "bob", data={"kind": "alien"}).status_code == 422
    page = call("GET", "/api/organisations", "bob", data={"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert call("GET", f"/api/organisations/{cast.provider_p.pk}", "bob").json()["kind"] == "provider"
    assert call("GET", f"/api/organisations/{cast.org_b.pk}", "bob").status_code == 404


def test_members_only_of_ones_own_organisation(cast: Cast, call: Call) -> None:
    body = call("GET", f"/api/organisations/{cast.org_a.pk}/members", "bob").json()
    members = {item["username"]: item for item in body["items"]}
    assert set(members) == {"alice", "bob", "aud", "ivan"}
    assert members["alice"]["role"] == "client_admin" and members["alice"]["name"] == "Alice Admin"
    assert call("GET", f"/api/organisations/{cast.provider_p.pk}/members", "bob").status_code == 404
    assert call("GET", f"/api/organisations/{cast.org_a.pk}/members", "dave").status_code == 404


def test_taxonomy(cast: Cast, call: Call) -> None:
    domains = call("GET", "/api/taxonomy/domains", "carol").json()
    assert len(domains) == 8 and {"code": "legal_services", "label": "Legal services"} in domains
    skills = call("GET", "/api/taxonomy/skills", "carol", data={"q": "python", "limit": 5}).json()
    assert skills["count"] >= 1 and len(skills["items"]) <= 5
    assert all("python" in item["label"].lower() for item in skills["items"])
    assert all(item["uri"].startswith("http") for item in skills["items"])
    assert call("GET", "/api/taxonomy/skills", "carol", data={"limit": 101}).status_code == 422
    assert call("GET", "/api/taxonomy/skills", "carol", data={"q": "a\x00b"}).status_code == 422


def test_expert_directory(cast: Cast, call: Call) -> None:
    names = {item["name"] for item in call("GET", "/api/experts", "bob").json()["items"]}
    assert names == {"Carol Expert", "Rex Reviewer", "Erin Idle", "Ivan Insider"}
    internal = call("GET", "/api/experts", "bob", data={"internal": "true"}).json()
    assert [item["name"] for item in internal["items"]] == ["Ivan Insider"]
    indian = call("GET", "/api/experts", "bob", data={"country": "IN", "language": "en"}).json()
    assert indian["count"] == 3
    assert call("GET", "/api/experts", "bob", data={"domain": "legal_services"}).json()["count"] == 0
    assert call("GET", "/api/experts", "bob", data={"domain": "astrology"}).status_code == 422
    assert call("GET", "/api/experts", "bob", data={"country": "XX"}).status_code == 422


def test_expert_profile_and_rates(cast: Cast, call: Call) -> None:
    carol = cast.carol.expert_profile.pk
    as_client = call("GET", f"/api/experts/{carol}", "bob").json()
    assert as_client["bill_rate"] == "60.00" and as_client["rate_currency"] == "EUR"
    assert as_client["cost_rate"] is None
    assert as_client["organisation"] == {"id": cast.provider_p.pk, "name": "Pinnacle Insight"}
    assert as_client["languages"] == [{"language": "en", "level": "C2"}]
    assert as_client["domains"] == ["technical_analysis"]
    assert call("GET", f"/api/experts/{carol}", "pete").json()["cost_rate"] == "30.00"
    assert call("GET", f"/api/experts/{carol}", "ops").status_code == 404
    ivan = cast.ivan_profile.pk
    assert call("GET", f"/api/experts/{ivan}", "alice").json()["cost_rate"] == "30.00"
    assert call("GET", f"/api/experts/{ivan}", "pete").status_code == 404


def test_engagements(cast: Cast, call: Call) -> None:
    body = call("GET", "/api/engagements", "bob").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == cast.engagement_a.pk and item["task_count"] == 2
    assert item["client"]["id"] == cast.org_a.pk and item["budget"] == "100000.00"
    for query, count in (
        ({"status": "active"}, 1),
        ({"status": "draft"}, 0),
        ({"domain": "technical_analysis"}, 1),
        ({"q": "zephyr"}, 1),
        ({"provider": cast.provider_q.pk}, 0),
        ({"sort": "-budget"}, 1),
    ):
        assert call("GET", "/api/engagements", "bob", data=query).json()["count"] == count, query
    assert call("GET", "/api/engagements", "bob", data={"sort": "random"}).status_code == 422
    detail = call("GET", f"/api/engagements/{cast.engagement_a.pk}", "pete").json()
    assert detail["provider"]["name"] == "Pinnacle Insight"


def test_tasks(cast: Cast, call: Call) -> None:
    assert call("GET", "/api/tasks", "bob").json()["count"] == 2
    mine = call("GET", "/api/tasks", "carol", data={"assigned_to_me": "true"}).json()
    assert [item["id"] for item in mine["items"]] == [cast.task_a.pk]
    drafts = call("GET", "/api/tasks", "bob", data={"status": "draft"}).json()
    assert [item["id"] for item in drafts["items"]] == [cast.draft_a.pk]
    assert call("GET", "/api/tasks", "bob", data={"priority": "someday"}).status_code == 422


def test_task_detail_and_available_transitions(cast: Cast, call: Call) -> None:
    task = call("GET", f"/api/tasks/{cast.task_a.pk}", "carol").json()
    assert task["status"] == "in_progress"
    assert len(task["skills"]) == 1 and task["skills"][0]["min_proficiency"] == 3
    assert task["skills"][0]["uri"].startswith("http")
    assert {"status": "in_review", "action": "send_to_review", "needs_comment": False} in task[
        "available_transitions"
    ]
    draft = call("GET", f"/api/tasks/{cast.draft_a.pk}", "bob").json()
    actions = {t["action"] for t in draft["available_transitions"]}
    assert actions == {"submit", "put_on_hold", "cancel"}
    assert call("GET", f"/api/tasks/{cast.draft_a.pk}", "aud").json()["available_transitions"] == []


def test_task_subresources(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}"
    assignments = call("GET", f"{base}/assignments", "bob").json()["items"]
    assert {(a["expert"]["name"], a["role"]) for a in assignments} == {
        ("Carol Expert", "maker"),
        ("Rex Reviewer", "reviewer"),
    }
    documents = call("GET", f"{base}/documents", "carol").json()["items"]
    assert [d["title"] for d in documents] == ["Brief"]
    deliverables = call("GET", f"{base}/deliverables", "bob").json()["items"]
    assert deliverables[0]["versions"][0]["number"] == 1
    assert deliverables[0]["versions"][0]["uploaded_by"] == "carol"
    entries = call("GET", f"{base}/time-entries", "pete").json()["items"]
    assert entries[0]["hours"] == "3.00" and entries[0]["expert"]["name"] == "Carol Expert"
    messages = call("GET", f"{base}/messages", "rex").json()
    assert messages["count"] == 1 and messages["items"][0]["author"] == "carol"
    assert call("GET", f"{base}/transitions", "bob").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("who", ["bob", "carol", "aud"])
def test_downloads_are_attachments(cast: Cast, call: Call, who: str) -> None:
    base = f"/api/tasks/{cast.task_a.pk}"
    for path, name in (
        (f"{base}/documents/{cast.document_a.pk}/download", "brief.txt"),
        (
            f"{base}/deliverables/{cast.deliverable_a.pk}/versions/{cast.version_a.pk}/download",
            "report.txt",
        ),
    ):
        response = call("GET", path, who)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        if who == "carol":  # the provider side gets a copy watermarked for her, logged as her download
            download = Download.objects.get(pk=int(response["X-Kpo-Download"]))
            assert download.user == cast.carol
            text = normalise(body.decode())
            assert text.startswith("Zephyr") and "Carol" in text.splitlines()[-1]
            # a two-line file holds too few fingerprint characters to name every download id; where it
            # names one, it must be this one
            assert trace(body, filename=name).code in {None, download.pk}
        else:
            assert body.startswith(b"Zephyr")


def test_nested_objects_are_looked_up_inside_the_task(cast: Cast, call: Call) -> None:
    other = cast.draft_a.pk
    assert (
        call("GET", f"/api/tasks/{other}/documents/{cast.document_a.pk}/download", "bob").status_code == 404
    )
    path = f"/api/tasks/{other}/deliverables/{cast.deliverable_a.pk}/versions/{cast.version_a.pk}/download"
    assert call("GET", path, "bob").status_code == 404
    assert call("GET", "/api/tasks/0", "bob").status_code == 422
    assert call("GET", "/api/tasks/not-a-number", "bob").status_code == 422
