"""Sign-in, the dashboard and the health check."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpo.orgs.selectors import organisations_of, roles_of
from kpo.work.models import TaskStatus
from kpo.work.selectors import EngagementFilter, engagement_list, tasks_by_status, tasks_waiting_for

RECENT_ENGAGEMENTS = 5
WAITING_SHOWN = 10


def authenticated(request: HttpRequest) -> User:
    """The signed-in user, typed (views call this after @login_required)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def demo_accounts() -> tuple[list[dict[str, str]], str]:
    """The demo accounts and their shared password, when the demo seed is installed; else nothing."""
    try:
        accounts = importlib.import_module("kpo.core.demo.accounts")
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


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = tasks_by_status(request.user)
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
            "waiting": list(tasks_waiting_for(request.user)[:WAITING_SHOWN]),
            "recent_engagements": list(
                engagement_list(request.user, EngagementFilter())[:RECENT_ENGAGEMENTS]
            ),
            "organisations": organisations_of(request.user),
            "roles": roles_of(request.user),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
