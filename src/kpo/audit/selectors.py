"""Who sees which audit entries: an organisation's auditors see its entries (an operator only through a
break-glass grant, which makes them its auditor for a while); the whole chain is checked by `kpo audit
verify` and, every hour, by the worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.core.queries import filter_given, people_matching
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles


@dataclass(frozen=True)
class AuditFilter:
    event: str = ""
    actor: str = ""
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    """Both days included, read on the viewer's calendar."""


def may_read_audit(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(org_ids_with_roles(user, {Role.AUDITOR}))


def audit_entries_for(user: User | AnonymousUser, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The entries the user may read that match the filters, newest first (none for non-auditors)."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    wanted = filters or AuditFilter()
    entries = filter_given(
        AuditEntry.objects.select_related("actor", "organisation").filter(
            organisation_id__in=org_ids_with_roles(user, {Role.AUDITOR})
        ),
        event=wanted.event,
        object_type=wanted.kind,
        at__gte=_start_of(wanted.since),
        at__lt=_start_of(wanted.until + dt.timedelta(days=1)) if wanted.until else None,
    )
    if wanted.actor:
        entries = entries.filter(actor_id__in=people_matching(wanted.actor).values("id"))
    return entries.order_by("-seq")


def _start_of(day: dt.date | None) -> dt.datetime | None:
    """The first instant of `day` in the viewer's time zone."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
