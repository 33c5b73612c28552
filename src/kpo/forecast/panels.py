"""The engagement page's "Team" panel: a link to scale the team or release an expert, for the provider's
managers and the client's admins, with the latest changes."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.forecast.access import can_scale
from kpo.forecast.models import TeamChange
from kpo.work.models import Engagement

RECENT = 3


def scaling_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    if not can_scale(request.user, engagement):
        return None
    changes = list(
        TeamChange.objects.filter(engagement=engagement)
        .select_related("requested_by")
        .order_by("-id")[:RECENT]
    )
    return Panel("forecast/panel_team.html", {"engagement": engagement, "changes": changes})
