from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kpo.staffing.models import StaffingRun
from kpo.work.models import Assignment, Task
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_a_manager_starts_a_run_watches_it_and_commits_an_edited_plan(
    cast: Cast,
    staffable: list[Task],
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    pete = client_for("pete")
    page = pete.get(reverse("staffing_runs"))
    assert page.status_code == 200
    for task in staffable:
        assert f'value="{task.pk}"' in page.content.decode()
    assert f'value="{cast.task_a.pk}"' not in page.content.decode()  # in progress: not offered

    with django_capture_on_commit_callbacks(execute=True):
        response = pete.post(
            reverse("staffing_runs"), {"task_ids": [t.pk for t in staffable], "objective": "sum"}
        )
    run = StaffingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staffing_run_detail", kwargs={"run_id": run.pk})
    assert run.status == "done"

    detail = pete.get(response["Location"])
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Proposed plan" in body and "Commit" in body
    assert "every 1s" not in body  # done: no more polling

    part = pete.get(response["Location"] + "?part=progress", HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and part["HX-Refresh"] == "true"

    lines = run.result["lines"]
    keep, drop = lines[0], lines[1]
    form = {"task": [keep["task_id"], drop["task_id"]]}
    form[f"expert_{keep['task_id']}"] = keep["expert_id"]
    form[f"expert_{drop['task_id']}"] = "drop"
    committed = pete.post(reverse("staffing_run_commit", kwargs={"run_id": run.pk}), form)
    assert committed.status_code == 302
    assert Assignment.objects.filter(task_id=keep["task_id"], expert_id=keep["expert_id"]).exists()
    assert not Assignment.objects.filter(task_id=drop["task_id"]).exists()
    run.refresh_from_db()
    assert run.status == "committed"


def test_a_queued_run_polls_its_progress(cast: Cast, client_for: Callable[[str], Client]) -> None:
    run = StaffingRun.objects.create(
        provider=cast.provider_p, created_by=cast.pete, task_ids=[cast.draft_a.pk], progress=40
    )
    body = client_for("pete").get(reverse("staffing_run_detail", kwargs={"run_id": run.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body


def test_bad_picks_answer_400_naming_the_problem(
    cast: Cast, staffable: list[Task], client_for: Callable[[str], Client]
) -> None:
    pete = client_for("pete")
    response = pete.post(reverse("staffing_runs"), {"objective": "sum"})
    assert response.status_code == 400
    assert "at least one task" in response.content.decode()
    response = pete.post(reverse("staffing_runs"), {"task_ids": [cast.task_a.pk], "objective": "sum"})
    assert response.status_code == 400
    assert not StaffingRun.objects.exists()


def test_commit_conflict_answers_409_and_writes_nothing(
    cast: Cast, staffable: list[Task], client_for: Callable[[str], Client], start_run: Any
) -> None:
    run = start_run(staffable)
    form: dict[str, Any] = {"task": []}
    for line in run.result["lines"]:
        form["task"].append(line["task_id"])
        form[f"expert_{line['task_id']}"] = cast.ivan_profile.pk  # not a candidate
    before = Assignment.objects.count()
    response = client_for("pete").post(reverse("staffing_run_commit", kwargs={"run_id": run.pk}), form)
    assert response.status_code == 409
    assert Assignment.objects.count() == before


@pytest.mark.parametrize("who", ["dave", "quinn", "bob", "alice", "carol"])
def test_outsiders_get_404_on_run_pages(
    cast: Cast, staffable: list[Task], client_for: Callable[[str], Client], start_run: Any, who: str
) -> None:
    run = start_run(staffable)
    client = client_for(who)
    assert client.get(reverse("staffing_run_detail", kwargs={"run_id": run.pk})).status_code == 404
    assert client.post(reverse("staffing_run_commit", kwargs={"run_id": run.pk}), {}).status_code == 404
    page = client.get(reverse("staffing_runs"))
    assert page.status_code == 200
    assert f"#{run.pk}" not in page.content.decode()
    assert staffable[0].title not in page.content.decode()
