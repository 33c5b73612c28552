"""Panels on shared pages: the engagement's budget burn and the dashboards' commercial links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.economics.commercials import access
from kpo.economics.commercials.selectors.budget import budget_status
from kpo.economics.commercials.selectors.time_entries import time_awaiting_by_engagement, time_awaiting_count
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.models import Engagement


def engagement_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    """Budget burn, and for the provider's managers the time awaiting approval (readers of the money only)."""
    user = request.user
    if not access.reads_commercials(user, engagement):
        return None
    manage = access.manages_provider(user, engagement)
    awaiting = time_awaiting_count(engagement) if manage else None
    return Panel(
        "economics/panel_engagement.html",
        {"engagement": engagement, "status": budget_status(engagement, forecast=False), "awaiting": awaiting},
    )


def dashboard_panel(request: HttpRequest, user: Any) -> Panel | None:
    """Client admins: a link to spend and savings. Provider managers: how much time awaits approval."""
    client_admin = bool(org_ids_with_roles(user, access.DASHBOARD_ROLES))
    managed = access.managed_providers(user)
    if not client_admin and not managed:
        return None
    awaiting = time_awaiting_by_engagement(managed) if managed else []
    return Panel(
        "economics/panel_dashboard.html",
        {
            "client_admin": client_admin,
            "manager": bool(managed),
            "awaiting": awaiting[:10],
            "awaiting_total": sum(item["count"] for item in awaiting),
        },
    )
