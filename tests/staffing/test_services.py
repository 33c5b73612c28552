from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kpo.core.errors import DomainError
from kpo.staffing.models import StaffingRun
from kpo.staffing.services import staffing_run_commit
from kpo.work.models import Assignment, Task
from tests.cast import Cast
from tests.staffing.conftest import submitted_task

pytestmark = pytest.mark.django_db


def test_a_run_proposes_eligible_experts_and_commits_them(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun]
) -> None:
    run = start_run(staffable)
    assert run.status == "done", run.message
    assert run.progress == 100
    lines = run.result["lines"]
    assert {line["task_id"] for line in lines} == {task.pk for task in staffable}
    provider_experts = set(cast.provider_p.experts.values_list("id", flat=True))
    for line in lines:
        assert line["expert_id"] in provider_experts  # the provider's own experts, never client A's ivan
        assert line["expert_id"] != cast.ivan_profile.pk
        candidates = {c["expert_id"] for c in run.result["candidates"][str(line["task_id"])]}
        assert line["expert_id"] in candidates
    assert run.result["gap"] is not None and run.result["lp_bound"] is not None

    created = staffing_run_commit(
        user=cast.pete, run=run, lines=[{"task_id": x["task_id"], "expert_id": x["expert_id"]} for x in lines]
    )
    assert len(created) == len(lines)
    for line in lines:
        assert Assignment.objects.filter(
            task_id=line["task_id"], expert_id=line["expert_id"], role="maker"
        ).exists()
    run.refresh_from_db()
    assert run.status == "committed" and run.committed_by == cast.pete
    with pytest.raises(DomainError) as error:
        staffing_run_commit(user=cast.pete, run=run, lines=[])
    assert error.value.field == "status"


def test_a_line_may_switch_to_another_candidate_or_be_dropped(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun]
) -> None:
    run = start_run(staffable)
    first = run.result["lines"][0]
    others = [
        c["expert_id"]
        for c in run.result["candidates"][str(first["task_id"])]
        if c["expert_id"] != first["expert_id"]
    ]
    assert others
    staffing_run_commit(
        user=cast.pete, run=run, lines=[{"task_id": first["task_id"], "expert_id": others[0]}]
    )
    assert list(Assignment.objects.filter(task_id=first["task_id"]).values_list("expert_id", flat=True)) == [
        others[0]
    ]
    dropped = [line["task_id"] for line in run.result["lines"][1:]]
    assert not Assignment.objects.filter(task_id__in=dropped).exists()


def test_an_expert_who_is_not_a_candidate_is_refused(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun]
) -> None:
    run = start_run(staffable)
    line = run.result["lines"][0]
    with pytest.raises(DomainError) as error:
        staffing_run_commit(
            user=cast.pete, run=run, lines=[{"task_id": line["task_id"], "expert_id": cast.ivan_profile.pk}]
        )
    assert error.value.field == "lines"
    assert not Assignment.objects.filter(task_id=line["task_id"]).exists()


def test_an_infeasible_run_lists_uncovered_tasks_with_reasons(
    cast: Cast, start_run: Callable[..., StaffingRun]
) -> None:
    huge = submitted_task(cast, "Far too big", 5000)  # more hours than anyone has before it is due
    niche = submitted_task(cast, "Needs Japanese", 5)
    niche.languages.create(language="ja", min_level="C2")
    run = start_run([huge, niche])
    assert run.status == "done", run.message
    assert run.result["lines"] == []
    reasons = {u["task_id"]: u["reason"] for u in run.result["uncovered"]}
    assert set(reasons) == {huge.pk, niche.pk}
    assert all(reasons.values())


def test_tasks_left_short_by_the_experts_hours_are_uncovered_with_the_solvers_reason(
    cast: Cast, start_run: Callable[..., StaffingRun]
) -> None:
    big = [submitted_task(cast, f"Big study {i}", 60) for i in range(3)]  # each fits one expert, not two
    run = start_run(big)
    assert run.status == "done", run.message
    assert len(run.result["lines"]) == 2
    assert len({line["expert_id"] for line in run.result["lines"]}) == 2
    [short] = run.result["uncovered"]
    assert short["task_id"] in {task.pk for task in big}
    assert short["reason"]


def test_commit_refuses_when_capacity_changed_in_between(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun]
) -> None:
    run = start_run(staffable)
    line = run.result["lines"][0]
    expert_id = line["expert_id"]
    # meanwhile the expert is booked on other work up to the brim
    other = submitted_task(cast, "Rush job", 10)
    Assignment.objects.create(
        task=other, expert_id=expert_id, role="maker", planned_hours=Decimal(1000), assigned_by=cast.pete
    )
    before = Assignment.objects.count()
    with pytest.raises(DomainError) as error:
        staffing_run_commit(
            user=cast.pete,
            run=run,
            lines=[{"task_id": x["task_id"], "expert_id": x["expert_id"]} for x in run.result["lines"]],
        )
    assert error.value.field == "lines"
    assert "overbooked" in error.value.message
    assert Assignment.objects.count() == before
    run.refresh_from_db()
    assert run.status == "done"


@pytest.mark.parametrize("case", ["none", "other_provider", "in_progress", "draft_invisible"])
def test_bad_input_names_task_ids(cast: Cast, start_run: Callable[..., StaffingRun], case: str) -> None:
    ids = {
        "none": [],
        "other_provider": [cast.task_b],
        "in_progress": [cast.task_a],
        "draft_invisible": [cast.draft_a],  # a draft: the provider does not see it yet
    }[case]
    with pytest.raises(DomainError) as error:
        start_run(ids)
    assert error.value.field == "task_ids"
    assert error.value.status // 100 == 4
    assert not StaffingRun.objects.exists()


def test_only_the_providers_managers_start_runs(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun]
) -> None:
    for user in (cast.quinn, cast.bob, cast.carol, cast.alice):
        with pytest.raises(PermissionDenied):
            start_run(staffable, user=user)


def test_a_failing_solve_marks_the_run_failed(
    cast: Cast, staffable: list[Task], start_run: Callable[..., StaffingRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("kpo.staffing.services.shortlist_for_task", broken)
    run = start_run(staffable)
    assert run.status == "failed"
    assert "index unavailable" in run.message
