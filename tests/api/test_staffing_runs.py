from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kpo.staffing.models import StaffingRun
from kpo.work.models import Assignment, Task
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_tasks(cast: Cast) -> list[Task]:
    cast.draft_a.status = "submitted"
    cast.draft_a.save()
    extra = Task.objects.create(
        engagement=cast.engagement_a,
        title="Line survey",
        description="Open work.",
        effort_hours=Decimal(20),
        due_at=cast.draft_a.due_at,
        status="submitted",
        created_by=cast.bob,
    )
    return [cast.draft_a, extra]


def start(call: Call, cast: Cast, tasks: list[Task], capture: Any, user: str = "pete") -> Any:
    with capture(execute=True):
        return call(
            "post",
            "/api/staffing-runs",
            user,
            json={"provider_id": cast.provider_p.pk, "task_ids": [t.pk for t in tasks], "objective": "sum"},
        )


def test_create_poll_and_commit(
    cast: Cast, call: Call, open_tasks: list[Task], django_capture_on_commit_callbacks: Any
) -> None:
    created = start(call, cast, open_tasks, django_capture_on_commit_callbacks)
    assert created.status_code == 202, created.content
    run_id = created.json()["id"]
    got = call("get", f"/api/staffing-runs/{run_id}", "pete")
    assert got.status_code == 200
    body = got.json()
    assert body["status"] == "done" and body["progress"] == 100
    assert {line["task_id"] for line in body["lines"]} == {t.pk for t in open_tasks}
    assert body["gap"] is not None and body["solver"]
    lines = [{"task_id": x["task_id"], "expert_id": x["expert_id"]} for x in body["lines"]]
    committed = call("post", f"/api/staffing-runs/{run_id}/commit", "pete", json={"lines": lines})
    assert committed.status_code == 200, committed.content
    assert committed.json()["run"]["status"] == "committed"
    assert len(committed.json()["assignment_ids"]) == len(lines)
    assert Assignment.objects.filter(id__in=committed.json()["assignment_ids"], role="maker").count() == 2
    again = call("post", f"/api/staffing-runs/{run_id}/commit", "pete", json={"lines": lines})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "status"


def test_commit_that_would_overbook_is_409_and_writes_nothing(
    cast: Cast, call: Call, open_tasks: list[Task], django_capture_on_commit_callbacks: Any
) -> None:
    run_id = start(call, cast, open_tasks, django_capture_on_commit_callbacks).json()["id"]
    run = StaffingRun.objects.get(pk=run_id)
    line = run.result["lines"][0]
    rush = Task.objects.create(
        engagement=cast.engagement_a,
        title="Rush job",
        description="Meanwhile.",
        effort_hours=Decimal(10),
        due_at=cast.draft_a.due_at,
        status="staffing",
        created_by=cast.bob,
    )
    Assignment.objects.create(
        task=rush,
        expert_id=line["expert_id"],
        role="maker",
        planned_hours=Decimal(900),
        assigned_by=cast.pete,
    )
    before = Assignment.objects.count()
    response = call(
        "post",
        f"/api/staffing-runs/{run_id}/commit",
        "pete",
        json={"lines": [{"task_id": line["task_id"], "expert_id": line["expert_id"]}]},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "lines"
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    ("make_ids", "status", "field"),
    [
        (lambda cast, tasks: [], 409, "task_ids"),
        (lambda cast, tasks: [cast.task_b.pk], 409, "task_ids"),
        (lambda cast, tasks: [cast.task_a.pk], 409, "task_ids"),
    ],
    ids=["no tasks", "another provider's task", "a task in progress"],
)
def test_bad_input_names_the_field(
    cast: Cast, call: Call, open_tasks: list[Task], make_ids: Any, status: int, field: str
) -> None:
    response = call(
        "post",
        "/api/staffing-runs",
        "pete",
        json={"provider_id": cast.provider_p.pk, "task_ids": make_ids(cast, open_tasks), "objective": "sum"},
    )
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not StaffingRun.objects.exists()


def test_a_provider_you_do_not_manage_is_422(cast: Cast, call: Call, open_tasks: list[Task]) -> None:
    response = call(
        "post",
        "/api/staffing-runs",
        "quinn",
        json={"provider_id": cast.provider_p.pk, "task_ids": [t.pk for t in open_tasks]},
    )
    assert response.status_code == 422
    assert "provider_id" in str(response.json()["errors"])
    bad = call(
        "post",
        "/api/staffing-runs",
        "pete",
        json={"provider_id": cast.provider_p.pk, "task_ids": [1], "objective": "best"},
    )
    assert bad.status_code == 422


@pytest.mark.parametrize("who", ["dave", "quinn", "bob"])
def test_outsiders_get_404(
    cast: Cast, call: Call, open_tasks: list[Task], django_capture_on_commit_callbacks: Any, who: str
) -> None:
    run_id = start(call, cast, open_tasks, django_capture_on_commit_callbacks).json()["id"]
    assert call("get", f"/api/staffing-runs/{run_id}", who).status_code == 404
    response = call(
        "post",
        f"/api/staffing-runs/{run_id}/commit",
        who,
        json={"lines": [{"task_id": open_tasks[0].pk, "expert_id": 1}]},
    )
    assert response.status_code == 404
    assert not Assignment.objects.filter(task__in=open_tasks).exists()
