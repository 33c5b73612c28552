"""Panels on shared pages: residency on the engagement, exceptions on the task, declarations on the
expert's own profile. Each is one query and returns None when it has nothing for this user."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.compliance.access import can_change_policy, can_grant_exceptions, can_read_exceptions
from kpo.compliance.selectors import declarations_of, exceptions_for, residency_for
from kpo.core.panels import Panel
from kpo.experts.models import ExpertProfile
from kpo.work.models import Engagement, Task


def residency_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    if not engagement.contains_personal_data:
        return None
    residency = residency_for(engagement)
    return Panel(
        "compliance/panel_residency.html",
        {
            "engagement": engagement,
            "residency": residency,
            "added": [(t, t.get_mechanism_display()) for t in residency.added],
            "can_change": can_change_policy(request.user, engagement.client),
        },
    )


def exceptions_panel(request: HttpRequest, task: Task) -> Panel | None:
    engagement = task.engagement
    if not can_read_exceptions(request.user, engagement):
        return None
    can_grant = can_grant_exceptions(request.user, engagement)
    exceptions = list(exceptions_for(engagement))
    if not exceptions and not can_grant:
        return None
    return Panel(
        "compliance/panel_exceptions.html",
        {"task": task, "exceptions": exceptions, "can_grant": can_grant},
    )


def own_conflicts_panel(request: HttpRequest, expert: ExpertProfile) -> Panel | None:
    if not request.user.is_authenticated or expert.user_id != request.user.pk:
        return None
    return Panel(
        "compliance/panel_own_conflicts.html", {"declarations": list(declarations_of(expert.pk)[:20])}
    )
