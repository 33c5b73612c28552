"""Sign-in lock-out (django-axes): what is counted, and the 429 answer with its retry time."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

API_TOKEN = "api_token"  # the credentials key of a bearer-token attempt, which names no account


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' check before the password is: every sign-in over HTTP passes its request. A call without one
    (code: the shell, a test client's login) has no address to count and is not a guess over the network."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, *args, **kwargs)
        return None


def lockout_parameters(request: Any, credentials: dict[str, Any] | None) -> list[str]:
    """Failures count per account and per address; a bearer token names no account, so only its address."""
    if credentials and API_TOKEN in credentials:
        return ["ip_address"]
    return ["username", "ip_address"]


def retry_after_seconds(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Seconds until the newest failure that completes a lock-out is older than the cool-off."""
    cool_off = get_cool_off(request) or timedelta(0)
    limit = get_failure_limit(request, credentials)
    handler = AxesProxyHandler.get_implementation()
    AxesProxyHandler.update_request(request)
    latest = None
    for attempts in handler.get_user_attempts(request, credentials):
        totals = attempts.aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        if (totals["failures"] or 0) >= limit and totals["latest"] is not None:
            latest = totals["latest"] if latest is None else max(latest, totals["latest"])
    if latest is None:
        return max(1, math.ceil(cool_off.total_seconds()))
    remaining: timedelta = latest + cool_off - timezone.now()
    return max(1, math.ceil(remaining.total_seconds()))


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    seconds = retry_after_seconds(request, credentials)
    minutes = math.ceil(seconds / 60)
    message = _(
        "Too many failed sign-in attempts for this account or from this address. "
        "Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"detail": message, "errors": [], "retry_after": seconds}, status=429)
    else:
        response = render(
            request, "site/locked_out.html", {"message": message, "minutes": minutes}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response
