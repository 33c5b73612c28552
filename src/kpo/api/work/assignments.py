"""A task's assignments: which experts make and review it (the provider's managers decide)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from kpo.api.outputs import Ref
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Hours, Id, lookup, user_of
from kpo.core.access import get_visible_or_404
from kpo.core.clock import request_now
from kpo.experts.access import access_expert
from kpo.matching.services import assignment_create_within_rules
from kpo.work.access import access_task
from kpo.work.models import Assignment
from kpo.work.selectors import task_assignments
from kpo.work.services import assignment_remove

router = ApiRouter(tags=["staffing"])


class AssignmentOut(Schema):
    id: int
    expert: Ref
    role: str
    planned_hours: Decimal
    created_at: dt.datetime


class AssignmentIn(Schema):
    expert_id: Id
    role: Literal["maker", "reviewer"]
    planned_hours: Hours


@router.lists("/tasks/{task_id}/assignments", AssignmentOut, 404, 422)
def list_assignments(request: HttpRequest, task_id: Id) -> QuerySet[Assignment]:
    return task_assignments(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/assignments", AssignmentOut, 400, 403, 404, 409, 422)
def create_assignment(request: HttpRequest, task_id: Id, payload: AssignmentIn) -> Assignment:
    """Staff the task (the provider's managers, or the overflow provider's that took it); an expert a
    registered rule excludes (clearance, NDA, conflicts of interest, data residency, vetting) is refused
    with the reasons, as in the staffing picker."""
    user = user_of(request)
    task = access_task(user, task_id)
    expert = lookup("expert_id", lambda: access_expert(user, payload.expert_id))
    assignment = assignment_create_within_rules(
        user=user,
        task=task,
        expert=expert,
        role=payload.role,
        planned_hours=payload.planned_hours,
        now=request_now(request),
    )
    return assignment


@router.deletes("/tasks/{task_id}/assignments/{assignment_id}", 403, 404, 409, 422)
def delete_assignment(request: HttpRequest, task_id: Id, assignment_id: Id) -> None:
    user = user_of(request)
    task = access_task(user, task_id)
    assignment = get_visible_or_404(task_assignments(task), assignment_id)
    assignment_remove(user=user, assignment=assignment)
