"""Panels on shared pages: the passport summary on an expert's profile, the engagement's requirements."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kpo.core.clock import installation_date, request_now
from kpo.core.panels import Panel
from kpo.experts.models import ExpertProfile
from kpo.vetting.access import can_set_requirements, vetting_capacities
from kpo.vetting.rules import requirements_text
from kpo.vetting.selectors import engagement_requirements, passport_summary
from kpo.work.models import Engagement


def passport_panel(request: HttpRequest, expert: Any) -> Panel | None:
    """For anyone who may see the expert (the page has checked that): two queries."""
    if not isinstance(expert, ExpertProfile):
        return None
    summary = passport_summary(expert, installation_date(request_now(request)))
    return Panel(
        "vetting/panel_passport.html",
        {"summary": summary, "opens_vetting": bool(vetting_capacities(request.user, expert))},
    )


def requirements_panel(request: HttpRequest, engagement: Any) -> Panel | None:
    """For everyone who sees the engagement: what its experts' passports must show (one query)."""
    if not isinstance(engagement, Engagement):
        return None
    requirements = engagement_requirements(engagement)
    editable = can_set_requirements(request.user, engagement)
    if requirements is None and not editable:
        return None
    return Panel(
        "vetting/panel_requirements.html",
        {
            "engagement": engagement,
            "requirements": requirements,
            "text": requirements_text(requirements)
            if requirements is not None and requirements.is_strict
            else "",
            "editable": editable,
        },
    )
