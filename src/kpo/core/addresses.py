"""The address a request came from, behind KPO_PROXY_COUNT trusted proxies (0: the socket's peer)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Each trusted proxy appends the address it saw to X-Forwarded-For, so the client's is the one the
    outermost proxy appended: the KPO_PROXY_COUNT-th from the right. Entries left of it are the client's
    own claims and never trusted; a header shorter than the proxy chain falls back to the peer."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "KPO_PROXY_COUNT", 0))
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return peer
    return forwarded[-proxies][:45]
