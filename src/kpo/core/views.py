"""Sign-in, the dashboard and the health check."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpo.core.access import authenticated
from kpo.engine.taxonomy import Role
from kpo.orgs import selectors as orgs
from kpo.work import selectors as work
from kpo.work.access import CLIENT_WRITERS
from kpo.work.models import TaskStatus

RECENT_ENGAGEMENTS = 5
WAITING_SHOWN = 10
SECTION_ROWS = 10
TASKS_PER_STATUS = 5
MESSAGES_SHOWN = 5
TRANSITIONS_SHOWN = 10


def demo_accounts() -> tuple[list[dict[str, str]], str]:
    """The demo accounts and their shared password, when the demo seed is installed; else nothing."""
    try:
        accounts = importlib.import_module("kpo.demo.accounts")
        rows = accounts.demo_accounts()
    except (ImportError, AttributeError):
        return [], ""
    listed = []
    for row in rows:
        username, role, organisation = [*list(row), "", "", ""][:3]
        listed.append({"username": str(username), "role": str(role), "organisation": str(organisation)})
    return listed, str(getattr(accounts, "DEMO_PASSWORD", ""))


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"], context["demo_password"] = demo_accounts()
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and say so on the sign-in page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"


def _requester_section(user: User, roles: set[str]) -> dict[str, Any] | None:
    if Role.REQUESTER.value not in roles:
        return None
    return {
        "engagements": work.engagements_requested_by(user, limit=SECTION_ROWS),
        "task_groups": work.requested_tasks_by_status(user, per_status=TASKS_PER_STATUS),
    }


def _client_admin_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})
    if not org_ids:
        return None
    engagements, total = work.client_engagement_overview(user, org_ids, limit=SECTION_ROWS)
    return {"engagements": engagements, "engagement_total": total, "people": _people(user, org_ids)}


def _people(user: User, org_ids: set[int]) -> list[dict[str, Any]]:
    """Per administered organisation: people per role and open invitations (two queries in all)."""
    counts = orgs.role_counts(org_ids)
    invitations = orgs.open_invitation_counts(org_ids)
    return [
        {
            "organisation": organisation,
            "roles": [
                {"label": label, "count": counts.get(organisation.pk, {}).get(value, 0)}
                for value, label in orgs.roles_for_kind(organisation)
            ],
            "invitations": invitations.get(organisation.pk, 0),
        }
        for organisation in orgs.organisations_of(user)
        if organisation.pk in org_ids
    ]


def _manager_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value})
    if not org_ids:
        return None
    return {
        "to_staff": work.tasks_to_staff(user, org_ids, limit=SECTION_ROWS),
        "in_review": work.tasks_in_review_at(user, org_ids, limit=SECTION_ROWS),
        "load": work.team_load(org_ids, limit=SECTION_ROWS),
        "people": _people(user, org_ids),
    }


def _expert_section(user: User, roles: set[str]) -> dict[str, Any] | None:
    if not roles & {Role.EXPERT.value, Role.REVIEWER.value}:
        return None
    return {
        "assignments": work.my_open_assignments(user, limit=SECTION_ROWS),
        "messages": work.recent_messages_on_my_tasks(user, limit=MESSAGES_SHOWN),
    }


def _auditor_section(user: User) -> dict[str, Any] | None:
    org_ids = orgs.org_ids_with_roles(user, {Role.AUDITOR.value})
    if not org_ids:
        return None
    return {
        "engagements": work.engagements_of_organisations(user, org_ids, limit=SECTION_ROWS),
        "transitions": work.recent_transitions_of_organisations(user, org_ids, limit=TRANSITIONS_SHOWN),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per person: what waits for them, then a section for each role they hold, then an
    overview. Every section is a fixed number of queries, whatever the amount of data."""
    user = authenticated(request)
    roles = orgs.roles_of(user)
    counts = work.tasks_by_status(user)
    status_counts = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in TaskStatus.choices
        if counts.get(value, 0)
    ]
    return render(
        request,
        "core/dashboard.html",
        {
            "status_counts": status_counts,
            "task_total": sum(counts.values()),
            "waiting": list(work.tasks_waiting_for(user)[:WAITING_SHOWN]),
            "recent_engagements": list(
                work.engagement_list(user, work.EngagementFilter())[:RECENT_ENGAGEMENTS]
            ),
            "organisations": orgs.organisations_of(user),
            "roles": roles,
            "requester": _requester_section(user, roles),
            "client_admin": _client_admin_section(user),
            "manager": _manager_section(user),
            "expert": _expert_section(user, roles),
            "auditor": _auditor_section(user),
            "can_create_engagement": bool(orgs.org_ids_with_roles(user, CLIENT_WRITERS)),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
