"""The absences panel on an expert's profile: for the expert themself and their provider's managers
(who declare and remove them), and the provider's auditors (who read them)."""

from __future__ import annotations

from django.http import HttpRequest

from kpo.capacity.access import can_manage_absences, readable_provider_ids
from kpo.capacity.forms import AbsenceForm
from kpo.capacity.selectors import absences_of
from kpo.core.clock import installation_date, request_now
from kpo.core.panels import Panel
from kpo.experts.models import ExpertProfile


def absences_panel(request: HttpRequest, expert: ExpertProfile) -> Panel | None:
    user = request.user
    can_manage = can_manage_absences(user, expert)
    if not can_manage and expert.organisation_id not in readable_provider_ids(user):
        return None
    today = installation_date(request_now(request))
    return Panel(
        "capacity/panel_absences.html",
        {
            "expert": expert,
            "absences": list(absences_of(expert, today)[:20]),
            "can_manage": can_manage,
            "form": AbsenceForm() if can_manage else None,
        },
    )
