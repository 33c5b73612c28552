"""Panels on shared pages: the engagement's budget burn and the dashboards' commercial links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.economics.commercials import access
from kpo.economics.commercials.budget import budget_status
from kpo.work.models import Engagement, TimeEntry, TimeEntryStatus


def engagement_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    """Budget burn, and for the provider's managers the time awaiting approval (readers of the money only)."""
    user = request.user
    if not access.reads_commercials(user, engagement):
        return None
    manage = access.manages_provider(user, engagement)
    awaiting = (
        TimeEntry.objects.filter(task__engagement=engagement, status=TimeEntryStatus.SUBMITTED).count()
        if manage
        else None
    )
    return Panel(
        "economics/panel_engagement.html",
        {"engagement": engagement, "status": budget_status(engagement, forecast=False), "awaiting": awaiting},
    )


def dashboard_panel(request: HttpRequest, user: Any) -> Panel | None:
    """Client admins: a link to spend and savings. Provider managers: how much time awaits approval."""
    client_admin = bool(access.org_ids_with_roles(user, access.DASHBOARD_ROLES))
    managed = access.managed_providers(user)
    if not client_admin and not managed:
        return None
    awaiting: list[dict[str, Any]] = []
    if managed:
        rows = (
            TimeEntry.objects.filter(
                task__engagement__provider_id__in=managed, status=TimeEntryStatus.SUBMITTED
            )
            .values_list("task__engagement_id", "task__engagement__title")
            .order_by("task__engagement__title")
        )
        counts: dict[int, dict[str, Any]] = {}
        for engagement_id, title in rows[:2000]:
            item = counts.setdefault(engagement_id, {"id": engagement_id, "title": title, "count": 0})
            item["count"] += 1
        awaiting = list(counts.values())
    return Panel(
        "economics/panel_dashboard.html",
        {
            "client_admin": client_admin,
            "manager": bool(managed),
            "awaiting": awaiting[:10],
            "awaiting_total": sum(item["count"] for item in awaiting),
        },
    )
