"""Engagement requirements: what the experts' passports must show for an engagement (the client's admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.vetting.access import can_set_requirements
from kpo.vetting.models import EngagementRequirements
from kpo.work.models import Engagement

REQUIREMENT_FIELDS = (
    "require_platform_terms",
    "require_verified_credential",
    "min_degree_level",
    "required_licences",
    "background_check_max_age_months",
    "required_trainings",
)


@transaction.atomic
def requirements_set(*, user: User, engagement: Engagement, **fields: Any) -> EngagementRequirements:
    """The client's admins set what the experts' passports must show for this engagement."""
    if not can_set_requirements(user, engagement):
        raise DomainError(_("Only the client's admins set the passport requirements of an engagement."))
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    requirements = EngagementRequirements.objects.filter(engagement=engagement).first() or (
        EngagementRequirements(engagement=engagement, updated_by=user)
    )
    for name, value in fields.items():
        if name in ("required_licences", "required_trainings"):
            value = "\n".join(EngagementRequirements.lines(value or ""))
        setattr(requirements, name, value)
    requirements.updated_by = user
    requirements.full_clean(exclude=["engagement"])
    requirements.save()
    details = {
        "action": "passport_requirements",
        **{name: getattr(requirements, name) for name in REQUIREMENT_FIELDS},
    }
    audit(user, AuditEvent.VETTING_CHANGED, ("engagement", engagement.pk), engagement.client, details)
    return requirements
