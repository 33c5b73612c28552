"""Vetting knobs: each a Django setting or an environment variable, with a safe default."""

from __future__ import annotations

import os

from django.conf import settings

from kpo.engine.vetting import DEFAULT_REVERIFICATION_MONTHS

DEFAULT_TERMS_VERSION = "2026-1"
DEFAULT_DUE_SOON_DAYS = 30


def _setting(name: str, default: str) -> str:
    value: object = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def terms_version() -> str:
    """The platform terms' current version (`KPO_PLATFORM_TERMS_VERSION`); only its signature counts."""
    return _setting("KPO_PLATFORM_TERMS_VERSION", DEFAULT_TERMS_VERSION).strip() or DEFAULT_TERMS_VERSION


def default_reverification_months() -> int:
    """`KPO_REVERIFICATION_MONTHS` (default 12): for providers without their own vetting policy."""
    try:
        months = int(_setting("KPO_REVERIFICATION_MONTHS", str(DEFAULT_REVERIFICATION_MONTHS)))
    except ValueError:
        return DEFAULT_REVERIFICATION_MONTHS
    return months if 1 <= months <= 60 else DEFAULT_REVERIFICATION_MONTHS


def due_soon_days() -> int:
    """How many days ahead the vetting queue lists re-verifications as due soon."""
    try:
        return max(int(_setting("KPO_REVERIFICATION_NOTICE_DAYS", str(DEFAULT_DUE_SOON_DAYS))), 0)
    except ValueError:
        return DEFAULT_DUE_SOON_DAYS
