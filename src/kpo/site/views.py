"""Sign-in, sign-out, password change and the health checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.notices.services import language_remember_unless_chosen
from kpo.site.health import OK, readiness


def demo_accounts() -> tuple[list[dict[str, str]], str]:
    """The demo accounts and their shared password, for the sign-in page in demo mode."""
    listed = [
        {"username": account.username, "role": account.role, "organisation": account.organisation_name}
        for account in DEMO_ACCOUNTS
    ]
    return listed, DEMO_PASSWORD


class LoginView(auth_views.LoginView):
    template_name = "site/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():  # the sign-in and its audit entry: both or neither
            response = super().form_valid(form)
            language_remember_unless_chosen(user=form.get_user(), language=get_language() or "")
        return response

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
    template_name = "site/password_change.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "site/password_change_done.html"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up (touches no database)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker is alive, else 503 naming what is not ready."""
    checks = readiness()
    ready = all(value == OK for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", **checks}, status=200 if ready else 503)
