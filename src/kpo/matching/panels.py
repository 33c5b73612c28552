"""The task page's panels: the warning that nobody can do the task, for those who staff it or asked for
it (shown while the task waits for experts, naming the rules that block it and whom relaxing each would
bring), and the way to the staffing picker and the shortlist in its staffing section."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kpo.core.clock import request_now
from kpo.core.panels import Panel
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import TaskState
from kpo.matching.labels import rule_label
from kpo.matching.selectors import pool_for_task
from kpo.orgs.selectors import memberships_of, org_ids_with_roles
from kpo.work.access import CLIENT_WRITERS, is_provider_manager, staffs_task
from kpo.work.models import Task
from kpo.work.services import STAFFABLE_STATES

WAITING_FOR_EXPERTS = frozenset({TaskState.DRAFT.value, TaskState.SUBMITTED.value, TaskState.STAFFING.value})


@dataclass(frozen=True)
class BlockingRule:
    rule: str
    label: str
    restores: int
    """Experts eligible once only this rule is relaxed."""


def _asks_for_it(user: AnyUser, task: Task) -> bool:
    """An admin or requester of the task's client."""
    return task.engagement.client_id in org_ids_with_roles(user, CLIENT_WRITERS)


def nobody_qualifies_panel(request: HttpRequest, task: Task) -> Panel | None:
    if task.status not in WAITING_FOR_EXPERTS:
        return None
    user = request.user
    engagement = task.engagement
    manager = is_provider_manager(user, engagement)
    if not (manager or _asks_for_it(user, task)):
        return None
    member_of_client = any(m.organisation_id == engagement.client_id for m in memberships_of(user))
    report = pool_for_task(task, request_now(request), sees_client_staff=member_of_client)
    if report.eligible or report.total == 0 or report.relaxation is None:
        return None
    relaxation = report.relaxation
    blocking = [
        BlockingRule(rule=rule, label=rule_label(rule), restores=restores)
        for rule, restores in sorted(relaxation.alone, key=lambda pair: -pair[1])
    ]
    return Panel(
        "matching/panel_nobody_qualifies.html",
        {
            "task": task,
            "total": report.total,
            "relax": [rule_label(rule).lower() for rule in relaxation.rules],
            "restored": relaxation.restored,
            "blocking": blocking,
        },
    )


def staffing_links_panel(request: HttpRequest, task: Task) -> Panel | None:
    """Links to the staffing picker (the provider's managers) and the shortlist (they and the client's
    admins and requesters), while the task can be staffed."""
    if task.status not in STAFFABLE_STATES:
        return None
    manager = staffs_task(request.user, task)
    if not (manager or _asks_for_it(request.user, task)):
        return None
    return Panel("matching/panel_staffing_links.html", {"task": task, "can_pick": manager})
