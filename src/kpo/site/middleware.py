from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kpo.audit.services import AuditUnavailable
from kpo.orgs.selectors import user_time_zone


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone: their expert profile's, else their organisation's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = user_time_zone(request.user) if request.user.is_authenticated else None
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class AuditUnavailableMiddleware:
    """An action the audit trail could not record was not taken: say so with a 503, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AuditUnavailable):
            return None
        response = render(request, "503.html", {"message": exception.message}, status=503)
        response["Retry-After"] = "30"
        return response
