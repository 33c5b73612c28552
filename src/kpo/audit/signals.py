"""Sign-ins and failed sign-ins go to the audit trail; when it cannot record them, nobody signs in."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.addresses import client_address

MAX_USERNAME = 150


def _client_ip(request: Any) -> str:
    return client_address(request) if request is not None else ""


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    try:
        from kpo.orgs.models import Membership

        membership = Membership.objects.filter(user_id=user.pk).select_related("organisation").first()
        organisation = membership.organisation if membership is not None else None
    except Exception:
        organisation = None
    audit(user, AuditEvent.LOGIN, ("user", user.pk), organisation, {"ip": _client_ip(request)})


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:MAX_USERNAME]
    details = {"username": username, "ip": _client_ip(request)}
    if "api_token" in credentials:
        details["via"] = "api_token"
    audit(None, AuditEvent.LOGIN_FAILED, None, None, details)


def on_locked_out(
    sender: Any, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: Any
) -> None:
    details = {"username": str(username or "")[:MAX_USERNAME], "ip": str(ip_address or "")}
    audit(None, AuditEvent.LOCKED_OUT, None, None, details)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="kpo.audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="kpo.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="kpo.audit.locked_out")
