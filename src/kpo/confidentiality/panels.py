"""Panels on shared pages: the task's confidentiality (and NDA) and the client admin's vault links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from kpo.confidentiality.access import viewer_for
from kpo.confidentiality.selectors import admin_client_ids
from kpo.core.panels import Panel
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import memberships_of, org_ids_with_roles
from kpo.work.models import Confidentiality, Task


def task_panel(request: HttpRequest, task: Task) -> Panel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    viewer = viewer_for(user, task)
    labels = dict(Confidentiality.choices)
    level = task.effective_confidentiality
    context: dict[str, Any] = {
        "level": labels.get(level, level),
        "client_side": viewer.client_side,
        "provider_side": viewer.assigned or viewer.manager,
        "clearance": labels.get(viewer.clearance, viewer.clearance),
        "needs_nda": viewer.nda_version is not None and not viewer.nda_signed,
        "signed": viewer.nda_signed,
        "no_nda": viewer.nda_version is None,
        "sign_url": "",
        "ndas_url": "",
    }
    if viewer.nda_version is not None:
        here = reverse("task_detail", kwargs={"task_id": task.pk})
        context["sign_url"] = (
            reverse("nda_sign", kwargs={"nda_template_id": viewer.nda_version.template_id}) + f"?next={here}"
        )
    if task.engagement.client_id in admin_client_ids(user):
        context["ndas_url"] = reverse("nda_templates", kwargs={"organisation_id": task.engagement.client_id})
    return Panel("confidentiality/panel_task.html", context)


def dashboard_panel(request: HttpRequest, obj: Any) -> Panel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    keeps = org_ids_with_roles(user, {Role.CLIENT_ADMIN.value, Role.AUDITOR.value})
    clients = [
        m.organisation
        for m in memberships_of(user)
        if m.organisation_id in keeps and m.organisation.is_client
    ]
    unique = list({org.pk: org for org in clients}.values())
    if not unique:
        return None
    admin = admin_client_ids(user)
    return Panel(
        "confidentiality/panel_dashboard.html",
        {"clients": [{"organisation": org, "admin": org.pk in admin} for org in unique]},
    )


def expert_panel(request: HttpRequest, expert: Any) -> Panel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    managers = org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value, Role.CLIENT_ADMIN.value})
    own = expert.user_id == user.pk
    can_change = expert.organisation_id in managers
    if not (own or can_change):
        return None
    from kpo.confidentiality.forms import ClearanceForm

    return Panel(
        "confidentiality/panel_expert.html",
        {
            "expert": expert,
            "clearance": expert.get_clearance_display(),
            "form": ClearanceForm(initial={"clearance": expert.clearance}) if can_change else None,
        },
    )
