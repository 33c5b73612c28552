"""Helpers the vetting services share: today's date, who manages an expert, date checks, the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.engine.vetting import VettingCapacity
from kpo.experts.models import ExpertProfile
from kpo.vetting.access import manages, vetting_capacities


def local_today(now: dt.datetime | None = None) -> dt.date:
    return installation_date(now or timezone.now())


def require_manager(user: User, expert: ExpertProfile, message: str = "") -> frozenset[VettingCapacity]:
    held = vetting_capacities(user, expert)
    if not manages(held):
        raise DomainError(message or _("Only the expert's provider managers do this."), field="user")
    return held


def not_in_future(value: dt.date | None, field: str, today: dt.date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("This date is in the future.")})


def audit_change(user: User, expert: ExpertProfile, action: str, **details: Any) -> None:
    """Audit a change to the vetting of `expert`: `action` and its details."""
    target = ("expert", expert.pk)
    audit(user, AuditEvent.VETTING_CHANGED, target, expert.organisation, {"action": action, **details})
