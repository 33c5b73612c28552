"""The task lifecycle walked through the API only, and illegal steps refused with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpo.work.models import Task, TaskTransition
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _step(call: Call, task_id: int, who: str, status: str, comment: str = "") -> dict[str, Any]:
    response = call(
        "POST", f"/api/tasks/{task_id}/transitions", who, json={"status": status, "comment": comment}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    return response.json()  # type: ignore[no-any-return]


def _refused(call: Call, task_id: int, who: str, status: str, field: str, comment: str = "") -> None:
    before = (Task.objects.get(pk=task_id).status, TaskTransition.objects.count())
    response = call(
        "POST", f"/api/tasks/{task_id}/transitions", who, json={"status": status, "comment": comment}
    )
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["field"] == field
    assert (Task.objects.get(pk=task_id).status, TaskTransition.objects.count()) == before


def _upload(call: Call, task_id: int, data: bytes, deliverable_id: int | None = None) -> dict[str, Any]:
    form: dict[str, Any] = {"title": "Findings", "file": SimpleUploadedFile("findings.md", data)}
    if deliverable_id is not None:
        form["deliverable_id"] = deliverable_id
    response = call("POST", f"/api/tasks/{task_id}/deliverables", "carol", data=form)
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def _pass_review(call: Call, task_id: int) -> None:
    """The reviewer passes the latest version through the API: only passed work reaches the client."""
    rubric = call("GET", f"/api/engagements/{Task.objects.get(pk=task_id).engagement_id}/rubric", "rex")
    scores = [{"criterion": c["name"], "score": 4} for c in rubric.json()["criteria"]]
    response = call(
        "POST", f"/api/tasks/{task_id}/reviews", "rex", json={"scores": scores, "decision": "pass"}
    )
    assert response.status_code == 201, response.content
    assert Task.objects.get(pk=task_id).status == "delivered"


def test_whole_lifecycle_through_the_api(cast: Cast, call: Call) -> None:
    created = call(
        "POST",
        f"/api/engagements/{cast.engagement_a.pk}/tasks",
        "bob",
        json={
            "title": "Line balancing",
            "description": "Balance line 3.",
            "effort_hours": 16,
            "due_at": "2026-12-20T09:00:00Z",
        },
    )
    assert created.status_code == 201
    task_id = created.json()["id"]

    _step(call, task_id, "bob", "submitted")
    _step(call, task_id, "pete", "staffing")
    _refused(call, task_id, "pete", "in_progress", field="assignments")
    for expert, role in ((cast.carol, "maker"), (cast.rex, "reviewer")):
        staffed = call(
            "POST",
            f"/api/tasks/{task_id}/assignments",
            "pete",
            json={"expert_id": expert.expert_profile.pk, "role": role, "planned_hours": 8},
        )
        assert staffed.status_code == 201
    _step(call, task_id, "pete", "in_progress")
    _refused(call, task_id, "carol", "in_review", field="deliverables")
    deliverable = _upload(call, task_id, b"# Findings\nv1\n")
    task = _step(call, task_id, "carol", "in_review")
    assert {t["action"] for t in task["available_transitions"]} == set()  # carol waits for the review
    _pass_review(call, task_id)
    _refused(call, task_id, "bob", "changes_requested", field="comment")
    _step(call, task_id, "bob", "changes_requested", comment="Add line 4.")
    _step(call, task_id, "carol", "in_progress")
    second = _upload(call, task_id, b"# Findings\nv2\n", deliverable_id=deliverable["id"])
    assert [v["number"] for v in second["versions"]] == [1, 2]
    _step(call, task_id, "carol", "in_review")
    _pass_review(call, task_id)
    _refused(call, task_id, "bob", "accepted", field="stars")  # a delivery is accepted with its rating
    unrated = call("POST", f"/api/tasks/{task_id}/ratings", "bob", json={"decision": "accept"})
    assert unrated.status_code == 422 and unrated.json()["errors"][0]["field"] == "stars", unrated.content
    assert Task.objects.get(pk=task_id).status == "delivered"
    rated = call(
        "POST",
        f"/api/tasks/{task_id}/ratings",
        "bob",
        json={"decision": "accept", "stars": 4, "feedback": "Good."},
    )
    assert rated.status_code == 201, rated.content
    done = call("GET", f"/api/tasks/{task_id}", "bob").json()
    assert done["status"] == "accepted" and done["available_transitions"] == []

    history = call("GET", f"/api/tasks/{task_id}/transitions", "pete").json()
    steps = [(t["from_status"], t["to_status"], t["actor"]) for t in history["items"]]
    assert history["count"] == 10
    assert steps[0] == ("draft", "submitted", "bob")
    assert steps[5] == ("delivered", "changes_requested", "bob")
    assert history["items"][5]["comment"] == "Add line 4."
    assert steps[-1] == ("delivered", "accepted", "bob")


def test_illegal_transition_is_409_and_changes_nothing(cast: Cast, call: Call) -> None:
    _refused(call, cast.draft_a.pk, "bob", "accepted", field="status")
    _refused(call, cast.task_a.pk, "pete", "accepted", field="status")
    _refused(call, cast.task_a.pk, "carol", "cancelled", field="status")
    _refused(call, cast.task_a.pk, "bob", "in_review", field="status")


def test_unknown_status_is_422(cast: Cast, call: Call) -> None:
    response = call(
        "POST", f"/api/tasks/{cast.draft_a.pk}/transitions", "bob", json={"status": "no-such-state"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    missing = call("POST", f"/api/tasks/{cast.draft_a.pk}/transitions", "bob", json={})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "status"
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.status == "draft"


def test_hold_and_resume(cast: Cast, call: Call) -> None:
    _refused(call, cast.task_a.pk, "pete", "on_hold", field="comment")
    held = _step(call, cast.task_a.pk, "pete", "on_hold", comment="Waiting for data")
    assert held["resume_status"] == "in_progress"
    assert {"status": "in_progress", "action": "resume", "needs_comment": False} in held[
        "available_transitions"
    ]
    resumed = _step(call, cast.task_a.pk, "bob", "in_progress")
    assert resumed["resume_status"] == ""
