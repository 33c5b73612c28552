"""Who sees which audit entries: an organisation's auditors see its entries (an operator only through a
break-glass grant, which makes them its auditor for a while); the whole chain is checked by `kpo audit
verify`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from kpo.audit.models import AuditEntry
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles


def may_read_audit(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(org_ids_with_roles(user, {Role.AUDITOR}))


def audit_entries_for(user: User | AnonymousUser, *, event: str = "") -> QuerySet[AuditEntry]:
    """The entries the user may read, newest first (none for people who are not auditors)."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "organisation").filter(
        organisation_id__in=org_ids_with_roles(user, {Role.AUDITOR})
    )
    if event:
        entries = entries.filter(event=event)
    return entries.order_by("-seq")
