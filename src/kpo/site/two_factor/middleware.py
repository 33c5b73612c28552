"""The gate: a signed-in session counts only once its second factor is given, and people who must use
two-factor authentication reach nothing but the set-up page until they have enrolled."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from kpo.site.two_factor.policy import demo_exempt, requirement
from kpo.site.two_factor.services import has_device, is_verified

API_PREFIX = "/api/"
ALWAYS_OPEN = ("logout", "set_language", "healthz", "readyz")


def _open_paths(*names: str) -> set[str]:
    return {reverse(name) for name in names}


def _is_static(path: str) -> bool:
    return path.startswith("/" + settings.STATIC_URL.lstrip("/"))


class TwoFactorGateMiddleware:
    """After django-otp's OTPMiddleware: sends an unverified session to the code page, an unenrolled
    operator (or member of an organisation that requires it) to the set-up page. API requests of such a
    session count as anonymous, so only a bearer token (a separate credential) signs them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or is_verified(user) or _is_static(request.path):
            return self.get_response(request)
        if has_device(user):
            return self._hold(request, "two_factor_code")
        if requirement(user) is not None and not demo_exempt(user):
            return self._hold(request, "two_factor")
        return self.get_response(request)

    def _hold(self, request: HttpRequest, page: str) -> HttpResponse:
        request.two_factor_held = True  # type: ignore[attr-defined]  # the frame then shows no navigation
        if request.path.startswith(API_PREFIX):
            request.user = AnonymousUser()
            return self.get_response(request)
        if request.path in _open_paths(page, *ALWAYS_OPEN):
            return self.get_response(request)
        target = reverse(page)
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
