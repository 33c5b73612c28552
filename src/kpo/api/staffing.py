"""Staffing runs: the solver staffs many tasks at once; a provider manager reviews and commits the plan."""

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema

from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, lookup, user_of
from kpo.staffing.access import access_run, access_staffing_provider
from kpo.staffing.models import StaffingRun
from kpo.staffing.services import staffing_run_commit, staffing_run_create

router = ApiRouter(tags=["staffing runs"])


def _from_result(key: str, convert: Callable[[Any], Any]) -> Any:
    """The resolver of a field kept in the run's `result`: converted, or None while it has none."""

    def resolve(obj: StaffingRun) -> Any:
        value = obj.result.get(key)
        return None if value is None else convert(value)

    return staticmethod(resolve)


class RunLineOut(Schema):
    task_id: int
    expert_id: int
    score: float
    planned_hours: float


class UncoveredOut(Schema):
    task_id: int
    reason: str


class CandidateOut(Schema):
    expert_id: int
    score: float


class StaffingRunOut(Schema):
    id: int
    provider_id: int
    task_ids: list[int]
    objective: str
    status: str
    progress: int
    message: str
    lines: list[RunLineOut] = Field(default_factory=list, description="The proposed plan (once done).")
    uncovered: list[UncoveredOut] = Field(default_factory=list)
    candidates: dict[str, list[CandidateOut]] = Field(
        default_factory=dict, description="Per task id: the experts a line may switch to."
    )
    plan_objective: float | None = None
    lp_bound: float | None = None
    gap: float | None = None
    solver: str | None = None
    seconds: float | None = None
    created_at: dt.datetime
    committed_at: dt.datetime | None

    @staticmethod
    def resolve_lines(obj: StaffingRun) -> list[Any]:
        return list(obj.result.get("lines", []))

    @staticmethod
    def resolve_uncovered(obj: StaffingRun) -> list[Any]:
        return list(obj.result.get("uncovered", []))

    @staticmethod
    def resolve_candidates(obj: StaffingRun) -> dict[str, Any]:
        return dict(obj.result.get("candidates", {}))

    resolve_plan_objective = _from_result("objective", float)
    resolve_lp_bound = _from_result("lp_bound", float)
    resolve_gap = _from_result("gap", float)
    resolve_solver = _from_result("solver", str)
    resolve_seconds = _from_result("seconds", float)


class StaffingRunIn(Schema):
    provider_id: Id
    task_ids: list[Id] = Field(..., max_length=500)
    objective: Literal["sum", "maxmin_then_sum"] = "sum"


class CommitLineIn(Schema):
    task_id: Id
    expert_id: Id


class CommitIn(Schema):
    lines: list[CommitLineIn] = Field(..., max_length=500)


class CommitOut(Schema):
    run: StaffingRunOut
    assignment_ids: list[int]


@router.creates("/staffing-runs", StaffingRunOut, 400, 403, 409, 422, status=202)
def create_staffing_run(request: HttpRequest, payload: StaffingRunIn) -> StaffingRun:
    """Start a run over open tasks of a provider you manage; poll it until its status is done."""
    user = user_of(request)
    provider = lookup("provider_id", lambda: access_staffing_provider(user, payload.provider_id))
    run = staffing_run_create(
        user=user, provider=provider, task_ids=payload.task_ids, objective=payload.objective
    )
    run.refresh_from_db()
    return run


@router.reads("/staffing-runs/{run_id}", StaffingRunOut, 404, 422)
def get_staffing_run(request: HttpRequest, run_id: Id) -> StaffingRun:
    return access_run(user_of(request), run_id)


@router.writes("POST", "/staffing-runs/{run_id}/commit", CommitOut, 400, 403, 404, 409, 422)
def commit_staffing_run(request: HttpRequest, run_id: Id, payload: CommitIn) -> dict[str, object]:
    """Create the plan's assignments (lines dropped or switched as given), all or none."""
    user = user_of(request)
    run = access_run(user, run_id)
    created = staffing_run_commit(user=user, run=run, lines=[line.model_dump() for line in payload.lines])
    run.refresh_from_db()
    return {"run": run, "assignment_ids": [assignment.pk for assignment in created]}
