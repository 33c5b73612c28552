"""Declaring and removing absences: validated (errors name the field), saved atomically, audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.capacity.models import Absence
from kpo.engine.capacity import MAX_ABSENCE_DAYS
from kpo.experts.models import ExpertProfile

MAX_REASON = 200


def _check(start: object, end: object, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(start, dt.date):
        errors["start"] = [_("Enter the first day of the absence.")]
    if not isinstance(end, dt.date):
        errors["end"] = [_("Enter the last day of the absence.")]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            errors["end"] = [_("The last day cannot be before the first day.")]
        elif (end - start).days + 1 > MAX_ABSENCE_DAYS:
            errors["end"] = [
                _("An absence lasts at most %(days)s days; declare a longer one in parts.")
                % {"days": MAX_ABSENCE_DAYS}
            ]
    if len(reason) > MAX_REASON:
        errors["reason"] = [_("Keep the reason under %(count)s characters.") % {"count": MAX_REASON}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def absence_declare(
    *, user: User, expert: ExpertProfile, start: dt.date, end: dt.date, reason: str = ""
) -> Absence:
    """Record that `expert` will not work from `start` to `end` (both included)."""
    reason = (reason or "").strip()
    _check(start, end, reason)
    absence = Absence.objects.create(expert=expert, start=start, end=end, reason=reason, declared_by=user)
    details = {"expert_id": expert.pk, "start": start.isoformat(), "end": end.isoformat(), "reason": reason}
    audit(user, AuditEvent.ABSENCE_DECLARED, ("absence", absence.pk), expert.organisation, details)
    return absence


@transaction.atomic
def absence_remove(*, user: User, absence: Absence) -> None:
    expert = absence.expert
    details = {
        "expert_id": expert.pk,
        "start": absence.start.isoformat(),
        "end": absence.end.isoformat(),
        "reason": absence.reason,
    }
    absence_id = absence.pk
    absence.delete()
    audit(user, AuditEvent.ABSENCE_REMOVED, ("absence", absence_id), expert.organisation, details)
