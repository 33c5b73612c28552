"""Sign a browser session out after KPO_SESSION_IDLE_MINUTES without a request, and KPO_SESSION_MAX_HOURS
after it began however busy it is (the cookie's age alone would be renewed by each write). API tokens
are not sessions."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_SEEN = "kpo_last_seen"
STARTED = "kpo_session_started"
RECORD_EVERY_SECONDS = 60  # the session is written at most once a minute, not on every request


class SessionIdleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request, int(timezone.now().timestamp()))
        return self.get_response(request)

    def _check(self, request: HttpRequest, now: int) -> None:
        session = request.session
        started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
        idle_minutes = int(settings.KPO_SESSION_IDLE_MINUTES)
        max_seconds = int(settings.SESSION_COOKIE_AGE)
        if isinstance(started, int) and now - started > max_seconds:
            logout(request)
            hours = max_seconds // 3600
            messages.info(
                request,
                _("Your session ended after %(hours)d hours. Please sign in again.") % {"hours": hours},
            )
            return
        if isinstance(last_seen, int) and idle_minutes > 0 and now - last_seen > idle_minutes * 60:
            logout(request)
            text = _("You were signed out after %(minutes)d minutes without activity.")
            messages.info(request, text % {"minutes": idle_minutes})
            return
        if not isinstance(started, int):
            session[STARTED] = now
        if idle_minutes > 0 and (
            not isinstance(last_seen, int) or now - last_seen >= RECORD_EVERY_SECONDS or now < last_seen
        ):
            session[LAST_SEEN] = now
