"""Break-glass access: an operator asks a client for time-limited read access, the client's admin
approves or refuses it, and it ends by itself. Every step is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core import trail
from kpo.core.errors import DomainError
from kpo.engine.taxonomy import Role
from kpo.orgs.events import Event
from kpo.orgs.models import BreakGlassGrant, BreakGlassState, Membership, Organisation

USE_CACHE = "_kpo_break_glass_used"
_PEEKING: ContextVar[bool] = ContextVar("kpo_break_glass_peeking", default=False)


@contextmanager
def peeking() -> Iterator[None]:
    """Ask what a grant would open without it counting as a use (the menus ask on every page)."""
    token = _PEEKING.set(True)
    try:
        yield
    finally:
        _PEEKING.reset(token)


def _record(event: str, grant: BreakGlassGrant, actor: User | None, **extra: object) -> None:
    details = {
        "operator": grant.operator.get_username(),
        "hours": grant.hours,
        "reason": grant.reason[:200],
        **extra,
    }
    trail.record(event, ("break_glass", grant.pk), grant.organisation, details, actor=actor)


def is_operator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@transaction.atomic
def request_access(*, operator: User, organisation: Organisation, reason: str, hours: int) -> BreakGlassGrant:
    """An operator asks for read access to a client organisation for `hours` (1 to 24), giving a reason."""
    if not is_operator(operator):
        raise DomainError(_("Only operators ask for break-glass access."))
    if not organisation.is_client:
        raise DomainError(_("Break-glass access is asked of client organisations only."))
    pending = BreakGlassGrant.objects.select_for_update().filter(
        organisation=organisation, operator=operator, status=BreakGlassState.REQUESTED
    )
    if pending.exists():
        raise DomainError(
            _("You already have a request waiting for this organisation's approval."), field="reason"
        )
    grant = BreakGlassGrant(organisation=organisation, operator=operator, reason=reason.strip(), hours=hours)
    grant.full_clean()
    grant.save()
    _record(Event.BREAK_GLASS_REQUESTED, grant, operator)
    return grant


def _locked(grant: BreakGlassGrant, admin: User) -> BreakGlassGrant:
    """The grant, locked, once `admin` is shown to be an admin of its organisation."""
    is_admin = Membership.objects.filter(
        user_id=admin.pk, organisation_id=grant.organisation_id, role=Role.CLIENT_ADMIN.value
    ).exists()
    if not is_admin:
        raise DomainError(_("Only the client's admins approve, refuse or end break-glass access."))
    return (
        BreakGlassGrant.objects.select_for_update()
        .select_related("organisation", "operator")
        .get(pk=grant.pk)
    )


@transaction.atomic
def decide(*, admin: User, grant: BreakGlassGrant, approve: bool) -> BreakGlassGrant:
    """The client's admin approves (access starts now and lasts the asked hours) or refuses a request."""
    grant = _locked(grant, admin)
    if grant.status != BreakGlassState.REQUESTED:
        raise DomainError(_("This request has already been decided."))
    if grant.operator_id == admin.pk:
        raise DomainError(_("Nobody approves their own break-glass request."))
    now = timezone.now()
    grant.decided_by = admin
    grant.decided_at = now
    if approve:
        grant.status = BreakGlassState.APPROVED
        grant.expires_at = now + dt.timedelta(hours=grant.hours)
    else:
        grant.status = BreakGlassState.REFUSED
    grant.save(update_fields=["status", "decided_by", "decided_at", "expires_at", "updated_at"])
    if approve:
        _record(Event.BREAK_GLASS_APPROVED, grant, admin, expires_at=_iso(grant.expires_at))
    else:
        _record(Event.BREAK_GLASS_REFUSED, grant, admin)
    return grant


@transaction.atomic
def end(*, admin: User, grant: BreakGlassGrant) -> BreakGlassGrant:
    """The client's admin ends an active grant before it expires."""
    grant = _locked(grant, admin)
    now = timezone.now()
    if not grant.active_at(now):
        raise DomainError(_("Only active access can be ended."))
    grant.status = BreakGlassState.ENDED
    grant.ended_at = now
    grant.save(update_fields=["status", "ended_at", "updated_at"])
    _record(Event.BREAK_GLASS_ENDED, grant, admin)
    return grant


def record_expiries(now: dt.datetime | None = None) -> int:
    """Record in the trail every approved grant that has run out and is not yet recorded (the worker's
    periodic job). Access itself ends at `expires_at` whether or not this has run."""
    moment = now or timezone.now()
    recorded = 0
    due = BreakGlassGrant.objects.filter(
        status=BreakGlassState.APPROVED, expires_at__lte=moment, expiry_recorded_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            grant = (
                BreakGlassGrant.objects.select_for_update()
                .select_related("organisation", "operator")
                .filter(pk=pk, expiry_recorded_at__isnull=True)
                .first()
            )
            if grant is None:
                continue
            grant.expiry_recorded_at = moment
            grant.save(update_fields=["expiry_recorded_at", "updated_at"])
            _record(Event.BREAK_GLASS_EXPIRED, grant, None, expires_at=_iso(grant.expires_at))
            recorded += 1
    return recorded


def grants_seen_by(
    user: User | AnonymousUser, organisation: Organisation, *, is_admin: bool, limit: int
) -> list[BreakGlassGrant]:
    """The organisation's grants, newest first: all of them for its admins, an operator's own otherwise."""
    grants = BreakGlassGrant.objects.filter(organisation=organisation).select_related(
        "operator", "decided_by"
    )
    if not is_admin:
        grants = grants.filter(operator_id=user.pk)
    return list(grants[:limit])


def active_grants(user: User | AnonymousUser, now: dt.datetime | None = None) -> QuerySet[BreakGlassGrant]:
    """The operator's grants in force now (checked at every use: an expired grant opens nothing)."""
    if not is_operator(user):
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(
        operator_id=user.pk, status=BreakGlassState.APPROVED, expires_at__gt=now or timezone.now()
    ).select_related("organisation")


def record_use(user: User | AnonymousUser, grants: list[BreakGlassGrant]) -> None:
    """Record once per request and grant that a grant opened something for the operator."""
    if _PEEKING.get():
        return
    used: set[int] = getattr(user, USE_CACHE, set())
    for grant in grants:
        if grant.pk in used:
            continue
        used.add(grant.pk)
        trail.record(
            Event.BREAK_GLASS_USED,
            ("break_glass", grant.pk),
            grant.organisation,
            {"operator": user.get_username(), "path": trail.current_path()},
            actor=user,
        )
    setattr(user, USE_CACHE, used)


def _iso(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else ""
