"""Reads about organisations and people."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from kpo.orgs.models import ApiToken, Membership, Organisation, OrganisationKind, ProviderType


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


def organisation_members(organisation: Organisation) -> list[Membership]:
    """The organisation's memberships with their users, by name then role."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id", "role")
    )


def api_tokens_of(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked ones included)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def providers_for_clients(client_ids: set[int]) -> QuerySet[Organisation]:
    """Providers these clients may engage: third-party firms, freelance pools and their own captives."""
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.PROVIDER)
        & (
            Q(provider_type__in=[ProviderType.THIRD_PARTY, ProviderType.FREELANCE_POOL])
            | Q(provider_type=ProviderType.CAPTIVE, parent_id__in=client_ids)
        )
    ).order_by("name")


# --- reads for the REST API (kpo.api) ---------------------------------------------------------------


def organisation_list(user: User | AnonymousUser, *, kind: str = "") -> QuerySet[Organisation]:
    """The organisations the user may see (their own and every provider), optionally of one kind."""
    from kpo.orgs.access import organisations_visible_to

    queryset = organisations_visible_to(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("name", "id")
