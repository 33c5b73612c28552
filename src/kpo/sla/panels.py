"""Panels on shared pages: the task's SLA clock and disputes, the engagement's link to its SLA report,
and the tasks at risk on a provider manager's dashboard. Each runs a few fixed queries, or none when it
has nothing for this user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from kpo.core.clock import request_now
from kpo.core.panels import Panel
from kpo.engine.lifecycle import TERMINAL_STATES, TaskState
from kpo.orgs.selectors import org_ids_with_roles
from kpo.sla.access import is_client_writer, is_operator, sees_sla_of, side_of
from kpo.sla.models import Dispute, DisputeStatus
from kpo.sla.overlap import TaskOverlap, task_overlap
from kpo.sla.selectors import (
    NO_SLA_STATES,
    calendar_in_force,
    policy_for,
    task_disputes,
    task_sla,
    tasks_needing_attention,
)
from kpo.sla.services.disputes import DISPUTABLE_STATES
from kpo.work.access import PROVIDER_WRITERS
from kpo.work.models import Engagement, Task

DASHBOARD_ROWS = 10


def task_sla_panel(request: HttpRequest, task: Task) -> Panel | None:
    if not isinstance(task, Task) or task.status in NO_SLA_STATES:
        return None
    sla = task_sla(task, request_now(request))
    if sla.current is None:
        return None
    return Panel(
        "sla/panels/task_sla.html",
        {
            "sla": sla,
            "task": task,
            "report": sees_sla_of(request.user, task.engagement),
            "in_force": calendar_in_force(sla.calendar, request_now(request)),
        },
    )


def task_dispute_panel(request: HttpRequest, task: Task) -> Panel | None:
    if not isinstance(task, Task) or not sees_sla_of(request.user, task.engagement):
        return None
    disputes = list(task_disputes(task)[:10])
    can_open = (
        is_client_writer(request.user, task.engagement)
        and task.status in DISPUTABLE_STATES
        and not any(d.status != DisputeStatus.RESOLVED for d in disputes)
    )
    if not disputes and not can_open:
        return None
    return Panel("sla/panels/task_disputes.html", {"task": task, "disputes": disputes, "can_open": can_open})


def _overlap_of(request: HttpRequest, task: Task) -> TaskOverlap | None:
    """Worked out once per request: the overlap panel and the line by the message box share it."""
    cache: dict[int, TaskOverlap | None] = request.__dict__.setdefault("_kpo_task_overlap", {})
    if task.pk not in cache:
        cache[task.pk] = (
            None
            if task.status in NO_SLA_STATES or TaskState(task.status) in TERMINAL_STATES
            else task_overlap(task, request.user, request_now(request), timezone.get_current_timezone_name())
        )
    return cache[task.pk]


def task_overlap_panel(request: HttpRequest, task: Task) -> Panel | None:
    if not isinstance(task, Task) or (overlap := _overlap_of(request, task)) is None:
        return None
    plans = side_of(request.user, task) is not None
    return Panel("sla/panels/task_overlap.html", {"overlap": overlap, "task": task, "plans": plans})


def task_overlap_line(request: HttpRequest, task: Task) -> Panel | None:
    if not isinstance(task, Task) or (overlap := _overlap_of(request, task)) is None:
        return None
    return Panel("sla/panels/task_overlap_line.html", {"overlap": overlap})


def engagement_sla_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    if not isinstance(engagement, Engagement) or not sees_sla_of(request.user, engagement):
        return None
    return Panel(
        "sla/panels/engagement_sla.html", {"engagement": engagement, "policy": policy_for(engagement)}
    )


def dashboard_panel(request: HttpRequest, user: Any) -> Panel | None:
    provider_ids = org_ids_with_roles(request.user, PROVIDER_WRITERS)
    operator = is_operator(request.user)
    if not provider_ids and not operator:
        return None
    rows = (
        tasks_needing_attention(provider_ids, request_now(request), limit=DASHBOARD_ROWS)
        if provider_ids
        else []
    )
    mediation = Dispute.objects.filter(status=DisputeStatus.MEDIATION).count() if operator else 0
    if not provider_ids and not mediation:
        return None
    return Panel(
        "sla/panels/dashboard.html",
        {"rows": rows, "manager": bool(provider_ids), "operator": operator, "mediation": mediation},
    )
