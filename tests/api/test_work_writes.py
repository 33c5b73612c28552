"""Writes on engagements, tasks and staffing: happy paths, and bad input answered 4xx with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kpo.experts.models import EscoSkill
from kpo.work.models import Assignment, Engagement, Message, Task, TaskLanguage, TaskSkill
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _engagement(cast: Cast, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client": cast.org_a.pk,
        "provider": cast.provider_p.pk,
        "title": "Supplier risk scan",
        "objective": "Rank the top 50 suppliers by risk.",
        "domain": "data_analysis",
        "kind": "recurring",
        "pricing_model": "fixed_fee",
        "budget": "25000.50",
        "currency": "DKK",
        "start_date": "2026-12-01",
        "end_date": "2027-03-31",
        "confidentiality": "restricted",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def _task(**changes: Any) -> dict[str, Any]:
    skill = EscoSkill.objects.order_by("id").first()
    assert skill is not None
    body: dict[str, Any] = {
        "title": "Line 4 baseline",
        "description": "Measure line 4.",
        "effort_hours": "12.5",
        "due_at": "2026-12-15T12:00:00",
        "priority": "high",
        "min_degree_level": "master",
        "skills": [{"skill_id": skill.pk, "min_proficiency": 3}],
        "languages": [{"language": "da", "min_level": "B2"}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_create_engagement(cast: Cast, call: Call) -> None:
    response = call("POST", "/api/engagements", "bob", json=_engagement(cast))
    assert response.status_code == 201
    body = response.json()
    assert body["budget"] == "25000.50" and body["kind"] == "recurring" and body["status"] == "active"
    assert body["client"] == {"id": cast.org_a.pk, "name": "Acme Gear A/S"}
    row = Engagement.objects.get(pk=body["id"])
    assert row.created_by == cast.bob and row.budget == Decimal("25000.50")
    assert row.end_date == dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ...}, "title"),
        ({"budget": "lots"}, "budget"),
        ({"budget": -1}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"budget": 10**15}, "budget"),
        ({"domain": "astrology"}, "domain"),
        ({"kind": "forever"}, "kind"),
        ({"currency": "QQQ"}, "currency"),
        ({"objective": "bad\x00text"}, "objective"),
        ({"title": "x" * 201}, "title"),
        ({"title": ""}, "title"),
        ({"start_date": "someday"}, "start_date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"client": 999_999_999}, "client"),
        ({"client": "one"}, "client"),
        ({"provider": 999_999_999}, "provider"),
        ({"provider": 2**70}, "provider"),
    ],
)
def test_bad_engagement_is_refused(cast: Cast, call: Call, changes: dict[str, Any], field: str) -> None:
    before = Engagement.objects.count()
    response = call("POST", "/api/engagements", "bob", json=_engagement(cast, **changes))
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert Engagement.objects.count() == before


def test_engagement_for_another_client_or_with_a_client_as_provider(cast: Cast, call: Call) -> None:
    before = Engagement.objects.count()
    foreign = call("POST", "/api/engagements", "bob", json=_engagement(cast, client=cast.org_b.pk))
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "client"
    provider = call("POST", "/api/engagements", "bob", json=_engagement(cast, provider=cast.org_a.pk))
    assert provider.status_code == 422 and provider.json()["errors"][0]["field"] == "provider"
    as_provider = call("POST", "/api/engagements", "pete", json=_engagement(cast))
    assert as_provider.status_code == 422 and as_provider.json()["errors"][0]["field"] == "client"
    assert Engagement.objects.count() == before


def test_malformed_json_is_400(cast: Cast, call: Call) -> None:
    response = call("POST", "/api/engagements", "bob", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_update_engagement(cast: Cast, call: Call) -> None:
    path = f"/api/engagements/{cast.engagement_a.pk}"
    response = call("PATCH", path, "alice", json={"budget": "120000", "end_date": "2027-06-30"})
    assert response.status_code == 200
    assert response.json()["budget"] == "120000.00" and response.json()["title"].startswith("Zephyr")
    cleared = call("PATCH", path, "alice", json={"end_date": None})
    assert cleared.status_code == 200 and cleared.json()["end_date"] is None
    moved = call("PATCH", path, "alice", json={"provider": cast.provider_q.pk})
    assert moved.json()["provider"]["id"] == cast.provider_q.pk


@pytest.mark.parametrize(
    ("who", "payload", "status", "field"),
    [
        ("alice", {"title": None}, 422, "title"),
        ("alice", {"budget": "-5"}, 422, "budget"),
        ("alice", {"status": "paused"}, 422, "status"),
        ("alice", {"provider": 999_999_999}, 422, "provider"),
        ("alice", {"start_date": "2028-01-01", "end_date": "2027-01-01"}, 422, "end_date"),
        ("pete", {"title": "Taken over"}, 403, None),
        ("dave", {"title": "Taken over"}, 404, None),
    ],
)
def test_bad_engagement_update_changes_nothing(
    cast: Cast, call: Call, who: str, payload: dict[str, Any], status: int, field: str | None
) -> None:
    before = Engagement.objects.values().get(pk=cast.engagement_a.pk)
    response = call("PATCH", f"/api/engagements/{cast.engagement_a.pk}", who, json=payload)
    assert response.status_code == status
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}
    assert Engagement.objects.values().get(pk=cast.engagement_a.pk) == before


def test_create_task(cast: Cast, call: Call) -> None:
    response = call("POST", f"/api/engagements/{cast.engagement_a.pk}/tasks", "bob", json=_task())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["effort_hours"] == "12.5"
    assert body["due_at"].startswith("2026-12-15T12:00:00")  # naive input is taken as UTC
    assert body["languages"] == [{"language": "da", "min_level": "B2"}]
    assert body["skills"][0]["min_proficiency"] == 3
    assert {t["action"] for t in body["available_transitions"]} == {"submit", "put_on_hold", "cancel"}
    task = Task.objects.get(pk=body["id"])
    assert task.due_at == dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC)
    offset = call(
        "POST",
        f"/api/engagements/{cast.engagement_a.pk}/tasks",
        "bob",
        json=_task(due_at="2026-12-15T12:00:00+05:30"),
    )
    assert Task.objects.get(pk=offset.json()["id"]).due_at == dt.datetime(2026, 12, 15, 6, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"title": ...}, 422, "title"),
        ({"effort_hours": "0"}, 422, "effort_hours"),
        ({"effort_hours": "1.25"}, 422, "effort_hours"),
        ({"due_at": "tomorrow"}, 422, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+01:00"}, 422, "due_at"),
        ({"priority": "whenever"}, 422, "priority"),
        ({"min_degree_level": "kindergarten"}, 422, "min_degree_level"),
        ({"description": "a\x00b"}, 422, "description"),
        ({"skills": [{"skill_id": 999_999_999, "min_proficiency": 3}]}, 422, "skills"),
        ({"skills": [{"skill_id": 1, "min_proficiency": 9}]}, 422, "skills.0.min_proficiency"),
        ({"languages": [{"language": "xx", "min_level": "B2"}]}, 422, "languages.0.language"),
        ({"languages": [{"language": "da", "min_level": "Z9"}]}, 422, "languages.0.min_level"),
    ],
)
def test_bad_task_is_refused(
    cast: Cast, call: Call, changes: dict[str, Any], status: int, field: str
) -> None:
    counts = (Task.objects.count(), TaskSkill.objects.count(), TaskLanguage.objects.count())
    response = call("POST", f"/api/engagements/{cast.engagement_a.pk}/tasks", "bob", json=_task(**changes))
    assert response.status_code == status, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (Task.objects.count(), TaskSkill.objects.count(), TaskLanguage.objects.count()) == counts


def test_update_task(cast: Cast, call: Call) -> None:
    path = f"/api/tasks/{cast.draft_a.pk}"
    response = call("PATCH", path, "bob", json={"title": "Follow-up, sharper", "languages": []})
    assert response.status_code == 200 and response.json()["title"] == "Follow-up, sharper"
    assert response.json()["skills"] == []
    running = call("PATCH", f"/api/tasks/{cast.task_a.pk}", "bob", json={"title": "Too late"})
    assert running.status_code == 409 and running.json()["errors"][0]["field"] == "status"
    assert call("PATCH", path, "bob", json={"effort_hours": None}).status_code == 422
    assert call("PATCH", path, "pete", json={"title": "Mine now"}).status_code == 404  # drafts: client only
    provider = call("PATCH", f"/api/tasks/{cast.task_a.pk}", "pete", json={"title": "Mine now"})
    assert provider.status_code == 409
    assert call("PATCH", path, "dave", json={"title": "Mine now"}).status_code == 404
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.title == "Follow-up, sharper"


def test_staffing(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}/assignments"
    payload = {"expert_id": cast.erin.expert_profile.pk, "role": "maker", "planned_hours": "8"}
    created = call("POST", base, "pete", json=payload)
    assert created.status_code == 201
    assert created.json()["expert"]["name"] == "Erin Idle" and created.json()["planned_hours"] == "8.0"
    again = call("POST", base, "pete", json=payload)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "expert"
    deleted = call("DELETE", f"{base}/{created.json()['id']}", "pete")
    assert deleted.status_code == 204
    assert not Assignment.objects.filter(pk=created.json()["id"]).exists()
    assert call("DELETE", f"{base}/{created.json()['id']}", "pete").status_code == 404


@pytest.mark.parametrize(
    ("who", "changes", "status", "field"),
    [
        ("pete", {"expert_id": 999_999_999}, 422, "expert_id"),
        ("pete", {"expert_id": "ivan"}, 422, "expert_id"),
        ("pete", {"role": "boss"}, 422, "role"),
        ("pete", {"planned_hours": "-1"}, 422, "planned_hours"),
        ("pete", {"planned_hours": "1.55"}, 422, "planned_hours"),
        ("bob", {}, 409, "__all__"),
        ("quinn", {}, 404, None),
    ],
)
def test_bad_staffing_changes_nothing(
    cast: Cast, call: Call, who: str, changes: dict[str, Any], status: int, field: str | None
) -> None:
    before = Assignment.objects.count()
    payload = {"expert_id": cast.erin.expert_profile.pk, "role": "maker", "planned_hours": "8", **changes}
    if changes.get("expert_id") == "ivan":
        payload["expert_id"] = cast.ivan_profile.pk  # A's internal expert: invisible to the provider
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/assignments", who, json=payload)
    assert response.status_code == status
    if field:
        assert response.json()["errors"][0]["field"] == field
    assert Assignment.objects.count() == before


def test_assignment_is_looked_up_inside_the_task(cast: Cast, call: Call) -> None:
    path = f"/api/tasks/{cast.draft_a.pk}/assignments/{cast.assignment_a.pk}"
    assert call("DELETE", path, "pete").status_code == 404
    assert Assignment.objects.filter(pk=cast.assignment_a.pk).exists()


def test_unreadable_bodies_are_json_400(cast: Cast, call: Call, settings: Any) -> None:
    documents = f"/api/tasks/{cast.task_a.pk}/documents"
    broken = call("POST", documents, "bob", data=b"garbage", content_type="multipart/form-data")
    assert broken.status_code == 400 and broken.json()["detail"].startswith("The request could not be read")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = call("POST", f"/api/tasks/{cast.task_a.pk}/messages", "bob", json={"body": "x" * 200})
    assert big.status_code == 400 and big.json()["errors"] == []
    assert Message.objects.count() == 1


def test_transition_with_a_stale_expected_status_is_409_and_changes_nothing(cast: Cast, call: Call) -> None:
    from kpo.work.models import TaskTransition

    url = f"/api/tasks/{cast.draft_a.pk}/transitions"
    Task.objects.filter(pk=cast.draft_a.pk).update(status="submitted")  # someone submitted it meanwhile
    response = call(
        "POST", url, "bob", json={"status": "on_hold", "comment": "Pause", "expected_status": "draft"}
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["errors"][0]["field"] == "status" and "meanwhile" in body["detail"]
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.status == "submitted"
    assert not TaskTransition.objects.filter(task=cast.draft_a).exists()
    response = call(
        "POST", url, "bob", json={"status": "on_hold", "comment": "Pause", "expected_status": "submitted"}
    )
    assert response.status_code == 200 and response.json()["status"] == "on_hold"
    response = call("POST", url, "bob", json={"status": "submitted", "expected_status": "nonsense"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expected_status"
