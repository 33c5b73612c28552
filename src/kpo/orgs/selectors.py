"""Reads about organisations and people."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from kpo.orgs.models import Membership, Organisation


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships, loaded once per request object."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_kpo_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._kpo_memberships = cached  # type: ignore[attr-defined]
    return cached


def org_ids_with_roles(user: User | AnonymousUser, roles: set[str]) -> set[int]:
    return {m.organisation_id for m in memberships_of(user) if m.role in roles}


def organisations_of(user: User | AnonymousUser) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for membership in memberships_of(user):
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def roles_of(user: User | AnonymousUser) -> set[str]:
    return {m.role for m in memberships_of(user)}


def user_time_zone(user: User | AnonymousUser) -> str | None:
    profile = getattr(user, "expert_profile", None) if user.is_authenticated else None
    if profile is not None:
        return str(profile.time_zone)
    organisations = organisations_of(user)
    return organisations[0].time_zone if organisations else None
