"""An operator's approved break-glass grant, for tests that need an operator to read a client."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from kpo.orgs.models import BreakGlassGrant, BreakGlassState, Organisation


def approved_break_glass(operator: User, organisation: Organisation, *, hours: int = 2) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.create(
        organisation=organisation,
        operator=operator,
        reason="support case",
        hours=hours,
        status=BreakGlassState.APPROVED,
        decided_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    operator.__dict__.pop("_kpo_memberships", None)
    return grant
