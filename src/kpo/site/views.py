"""Sign-in, sign-out, password change and reset, and the health checks."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kpo.audit.privileged import describe_password_change
from kpo.core.addresses import client_address
from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.notices.services import language_remember_unless_chosen
from kpo.site.health import OK, readiness
from kpo.site.models import DemoWorld
from kpo.site.password_reset import KpoPasswordResetForm


def demo_accounts_listed() -> bool:
    """Only where the demo world is installed (its marker row) and KPO_DEMO is on (`kpo demo` turns it on)."""
    return bool(settings.DEMO_MODE) and DemoWorld.installed()


def demo_accounts() -> tuple[list[dict[str, str]], str]:
    """The demo accounts and their shared password, for the sign-in page of the demo world."""
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
        if demo_accounts_listed():
            context["demo_accounts"], context["demo_password"] = demo_accounts()
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and say so on the sign-in page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


def _describe_password_change(request: HttpRequest, user: Any, how: str) -> None:
    """The entry kpo.audit.privileged writes when the new password is saved says how and from where."""
    describe_password_change(user, how=how, ip=client_address(request) or "")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "site/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        _describe_password_change(self.request, form.user, "change")
        with transaction.atomic():  # the new password and its audit entry: both or neither
            response = super().form_valid(form)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "site/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "site/password_reset_form.html"
    email_template_name = "site/password_reset_email.txt"
    subject_template_name = "site/password_reset_subject.txt"
    form_class = KpoPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"base_url": settings.KPO_BASE_URL}
        form.request = self.request
        with transaction.atomic():  # each account's e-mail is queued with its audit entry
            return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "site/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "site/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        _describe_password_change(self.request, form.user, "reset")
        with transaction.atomic():
            response = super().form_valid(form)
            AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "site/password_reset_complete.html"


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
