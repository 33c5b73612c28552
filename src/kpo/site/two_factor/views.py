"""The two-factor page (set up, recovery codes, turn off) and the sign-in's second step."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.audit.signals import MAX_USERNAME
from kpo.core.access import authenticated
from kpo.core.errors import DomainError
from kpo.core.forms import apply_errors
from kpo.site.two_factor import services
from kpo.site.two_factor.forms import AuthenticatorCodeForm, CodeForm
from kpo.site.two_factor.policy import OPERATOR, requirement
from kpo.site.two_factor.qr import qr_svg

FAILURES = "kpo_two_factor_failures"


def _verified(request: HttpRequest) -> bool:
    return services.is_verified(request.user)


def _render_manage(
    request: HttpRequest,
    user: User,
    *,
    form: CodeForm | None = None,
    codes: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = services.state(user)
    context: dict[str, Any] = {
        "state": state,
        "requirement": requirement(user),
        "operator": OPERATOR,
        "codes": codes or [],
        "verified": _verified(request),
    }
    if state.enabled:
        context["off_form"] = form or CodeForm()
    else:
        device = services.pending_authenticator(user)
        context["enrol_form"] = form or AuthenticatorCodeForm()
        context["secret"] = services.secret_text(device)
        context["qr"] = qr_svg(device.config_url, _("QR code to add kpo to your authenticator app"))
    return render(request, "site/two_factor/manage.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """GET: the state, or the set-up (QR code and key); POST: confirm the set-up with a code."""
    user = authenticated(request)
    if request.method == "GET":
        return _render_manage(request, user)
    form = AuthenticatorCodeForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.enrol(user, form.cleaned_data["code"])
        except DomainError as error:
            apply_errors(form, error)
        else:
            django_otp.login(request, device)
            request.session.pop(FAILURES, None)
            request.two_factor_held = False  # type: ignore[attr-defined]
            messages.success(request, _("Two-factor authentication is on."))
            return _render_manage(request, user, codes=codes)
    return _render_manage(request, user, form=form, status=400)


def _require_verified(request: HttpRequest) -> User:
    user = authenticated(request)
    if not _verified(request):
        raise PermissionDenied(_("Give a code from your authenticator app first."))
    return user


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _require_verified(request)
    try:
        codes = services.regenerate_codes(user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("two_factor")
    messages.success(request, _("New recovery codes made. The old ones no longer work."))
    return _render_manage(request, user, codes=codes)


@never_cache
@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = _require_verified(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.disable(user, form.cleaned_data["code"])
        except DomainError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("two_factor")
    return _render_manage(request, user, form=form, status=400)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _failed(request: HttpRequest, user: User) -> int:
    failures = int(request.session.get(FAILURES, 0)) + 1
    request.session[FAILURES] = failures
    details = {
        "username": user.get_username()[:MAX_USERNAME],
        "ip": str(request.META.get("REMOTE_ADDR", "")),
        "step": "two_factor",
    }
    audit(None, AuditEvent.LOGIN_FAILED, ("user", user.pk), None, details)
    return failures


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """The sign-in's second step: a code from the authenticator app or a recovery code."""
    user = authenticated(request)
    if _verified(request) or not services.has_device(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        slowed = services.slowed_down(user)
        device = None if slowed else services.verify(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            request.session.pop(FAILURES, None)
            if isinstance(device, StaticDevice):
                left = services.state(user).codes_left
                messages.warning(
                    request,
                    _("You signed in with a recovery code; it cannot be used again. %(left)s codes are left.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        if _failed(request, user) >= settings.KPO_TWO_FACTOR_MAX_ATTEMPTS:
            logout(request)
            messages.error(request, _("Too many wrong codes. Sign in again with your password."))
            return redirect("login")
        if slowed:
            form.add_error("code", _("Too many wrong codes in a row. Wait a minute, then try again."))
        else:
            form.add_error("code", _("The code is not right, or it was already used. Try again."))
    status = 400 if request.method == "POST" else 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "site/two_factor/code.html", {"form": form, "next": next_url}, status=status)
