"""The glossary on shared pages: the task page (a panel, and a list beside the message box) and the
engagement page (a link to the glossary)."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.glossary.access import can_keep_glossary
from kpo.glossary.selectors import entries_on_page, terms_of
from kpo.redaction.access import sees_originals_of
from kpo.work.models import Engagement, Task


def task_panel(request: HttpRequest, task: Task) -> Panel | None:
    """The engagement's terms, those the description uses first; nothing when the glossary is empty."""
    if not isinstance(task, Task):
        return None
    entries = entries_on_page(request, task.engagement, task)
    if not entries:
        return None
    return Panel(
        "glossary/panel_task.html",
        {
            "entries": entries,
            "engagement": task.engagement,
            "used": sum(entry.used for entry in entries),
            "redacted": not sees_originals_of(request.user, task.engagement.client_id),
            "can_keep": can_keep_glossary(request.user, task.engagement),
        },
    )


def message_box_panel(request: HttpRequest, task: Task) -> Panel | None:
    """The same terms beside the message box, each ready to insert (with compose.js)."""
    if not isinstance(task, Task):
        return None
    entries = entries_on_page(request, task.engagement, task)
    if not entries:
        return None
    return Panel("glossary/panel_messages.html", {"entries": entries, "engagement": task.engagement})


def engagement_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    """How many terms the glossary holds, and the way to it (one query)."""
    if not isinstance(engagement, Engagement):
        return None
    count = terms_of(engagement).count()
    keeper = can_keep_glossary(request.user, engagement)
    if not count and not keeper:
        return None
    return Panel(
        "glossary/panel_engagement.html", {"engagement": engagement, "count": count, "can_keep": keeper}
    )
