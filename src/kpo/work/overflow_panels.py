"""The task page's overflow panel and the engagement page's link to its overflow providers."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.work import overflow
from kpo.work.access import overflow_managed_ids
from kpo.work.forms import ReleaseReasonForm
from kpo.work.models import Engagement, Task, TaskRelease


def task_overflow_panel(request: HttpRequest, task: Task) -> Panel | None:
    """The task's release to the overflow pool: its state and history for the client's people and the
    provider's managers, the release form for those who may release it, the take form for an approved
    overflow provider's managers, the recall button for the client."""
    user = request.user
    engagement = task.engagement
    reads = overflow.can_read_overflow(user, engagement)
    overflow_side = bool(overflow_managed_ids(user, task)) if not reads else False
    if not (reads or overflow_side):
        return None
    releases = list(
        TaskRelease.objects.filter(task=task).select_related(
            "released_by", "taken_by", "taken_by_organisation", "recalled_by"
        )
    )
    active = next((release for release in releases if release.status in ("open", "taken")), None)
    if overflow_side:  # an overflow provider sees its own release only, not the history
        releases = [active] if active is not None else []
    approved = engagement.overflow_providers.count() if reads else 0
    can_release = (
        reads
        and active is None
        and approved > 0
        and task.status in overflow.RELEASABLE_STATES
        and overflow.can_release(user, engagement)
    )
    if not releases and not can_release and not approved:
        return None
    can_take = active is not None and active.status == "open" and bool(overflow.taker_ids(user, active))
    return Panel(
        "work/panel_overflow.html",
        {
            "task": task,
            "releases": releases,
            "active": active,
            "approved": approved,
            "can_release": can_release,
            "can_take": can_take,
            "can_recall": active is not None
            and active.status == "open"
            and overflow.can_recall(user, engagement),
            "reads": reads,
            "form": ReleaseReasonForm(auto_id="id_overflow_%s"),
        },
    )


def engagement_overflow_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    if not overflow.can_read_overflow(request.user, engagement):
        return None
    return Panel(
        "work/panel_engagement_overflow.html",
        {
            "engagement": engagement,
            "approvals": overflow.overflow_providers_of(engagement),
            "can_approve": overflow.can_approve_overflow(request.user, engagement),
        },
    )
