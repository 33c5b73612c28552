"""Panels on shared pages: the SOW on the engagement page and the task's SOW item on the task page."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.contracts.access import reading_sides, side_of
from kpo.contracts.forms import LinkForm
from kpo.contracts.models import TaskSowLink
from kpo.contracts.selectors import approved_codes, sow_view
from kpo.core.panels import Panel
from kpo.work.models import Engagement, Task


def engagement_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    """The SOW's state and a link to it, for everyone who reads some of it (experts: once approved)."""
    view = sow_view(request.user, engagement)
    if not view.versions and not view.can_draft and not view.readers_sides:
        return None
    return Panel("contracts/panel_engagement.html", {"engagement": engagement, "view": view})


def task_panel(request: HttpRequest, task: Task) -> Panel | None:
    """The SOW item the task delivers; the sides change it."""
    user = request.user
    engagement = task.engagement
    link = TaskSowLink.objects.filter(task=task).first()
    can_link = side_of(user, engagement) is not None
    if link is None and not can_link and not reading_sides(user, engagement):
        return None
    codes = approved_codes(engagement)
    if link is None and not codes:
        return None
    titles = dict(codes)
    return Panel(
        "contracts/panel_task.html",
        {
            "task": task,
            "engagement": engagement,
            "code": link.code if link else "",
            "label": titles.get(link.code, "") if link else "",
            "form": LinkForm(initial={"code": link.code if link else ""}, codes=codes)
            if can_link and codes
            else None,
        },
    )
