"""Setting an engagement's service levels (the client's admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.sla.access import is_client_admin
from kpo.sla.models import SlaPolicy
from kpo.work.models import Engagement

POLICY_FIELDS = (
    "response_hours",
    "working_days",
    "day_start",
    "day_end",
    "at_risk_share",
    "dispute_response_days",
    "mediation_days",
)


@transaction.atomic
def sla_policy_update(*, user: User, engagement: Engagement, **fields: Any) -> SlaPolicy:
    """Set an engagement's service levels (the client's admins); fields not given keep their value."""
    if not is_client_admin(user, engagement):
        raise DomainError(_("Only the client's admins change the service levels."))
    policy = SlaPolicy.objects.select_for_update().filter(engagement=engagement).first()
    if policy is None:
        policy = SlaPolicy(engagement=engagement)
    for name, value in fields.items():
        if name not in POLICY_FIELDS:
            raise DomainError(_("Unknown field %(name)s.") % {"name": name}, field=name)
        if name == "working_days" and not isinstance(value, str):
            value = ",".join(str(day) for day in sorted({int(day) for day in value}))
        setattr(policy, name, value)
    policy.updated_by = user
    policy.full_clean()
    policy.save()
    return policy
