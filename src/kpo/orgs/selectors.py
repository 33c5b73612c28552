"""Reads about organisations and people."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kpo.core.pagination import DeepPaginator
from kpo.core.queries import people_matching
from kpo.engine.taxonomy import Role
from kpo.orgs import break_glass
from kpo.orgs.models import (
    CLIENT_ROLE_VALUES,
    PROVIDER_ROLE_VALUES,
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    ProviderType,
    RoleChoice,
)
from kpo.orgs.services import MAX_INVITATION_TOKEN, hash_token

# --- the user's memberships and roles ------------------------------------------------------------------


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships, loaded once per request object.

    An operator's break-glass grants in force count as auditor memberships (unsaved, carrying the grant
    as `break_glass`): read access to that client, and nothing else.
    """
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_kpo_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        for grant in break_glass.active_grants(user):
            borrowed = Membership(user_id=user.pk, organisation=grant.organisation, role=Role.AUDITOR.value)
            borrowed.break_glass = grant  # type: ignore[attr-defined]
            cached.append(borrowed)
        user._kpo_memberships = cached  # type: ignore[attr-defined]
    return cached


def org_ids_with_roles(user: User | AnonymousUser, roles: Collection[str]) -> set[int]:
    held = [m for m in memberships_of(user) if m.role in roles]
    grants = [grant for m in held if (grant := getattr(m, "break_glass", None)) is not None]
    if grants:
        break_glass.record_use(user, grants)
    return {m.organisation_id for m in held}


def members_with_roles(organisation_id: int, roles: Collection[str]) -> list[User]:
    """The active people holding one of `roles` in the organisation, each once, by account id."""
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__role__in=roles
        )
        .distinct()
        .order_by("id")
    )


def first_org_with_roles(user: User | AnonymousUser, roles: Collection[str], *, kind: str = "") -> int | None:
    """The lowest id among the organisations (of `kind`, if given) where the user holds one of `roles`
    (no query beyond the memberships: the page a menu opens for this user)."""
    held = org_ids_with_roles(user, roles)
    kinds = {m.organisation_id: m.organisation.kind for m in memberships_of(user)}
    ids = sorted(org for org in held if not kind or kinds.get(org) == kind)
    return ids[0] if ids else None


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


def api_tokens_of(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked ones included)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


# --- organisations -------------------------------------------------------------------------------------


def organisation_list(user: User | AnonymousUser, *, kind: str = "") -> QuerySet[Organisation]:
    """The organisations the user may see (their own and every provider), optionally of one kind."""
    from kpo.orgs.access import organisations_visible_to  # orgs.access imports this module

    queryset = organisations_visible_to(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("name", "id")


def providers_for_clients(client_ids: set[int]) -> QuerySet[Organisation]:
    """Providers these clients may engage: third-party firms, freelance pools and their own captives."""
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.PROVIDER)
        & (
            Q(provider_type__in=[ProviderType.THIRD_PARTY, ProviderType.FREELANCE_POOL])
            | Q(provider_type=ProviderType.CAPTIVE, parent_id__in=client_ids)
        )
    ).order_by("name")


def role_counts(organisation_ids: set[int]) -> dict[int, dict[str, int]]:
    """Per organisation, how many people hold each role (one query)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["organisation_id"], {})[row["role"]] = row["n"]
    return counts


def open_invitation_counts(organisation_ids: set[int]) -> dict[int, int]:
    """Per organisation, how many invitations can still be accepted (one query)."""
    rows = (
        Invitation.objects.filter(
            organisation_id__in=organisation_ids,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["organisation_id"]: row["n"] for row in rows}


# --- an organisation's members -------------------------------------------------------------------------

MEMBERS_PER_PAGE = 50


@dataclass(frozen=True)
class MemberRow:
    user: User
    roles: list[str]

    @property
    def role_labels(self) -> list[str]:
        return [str(RoleChoice(role).label) for role in self.roles]


def organisation_members(organisation: Organisation) -> list[Membership]:
    """The organisation's memberships with their users, by name then role."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id", "role")
    )


def organisation_member_users(organisation: Organisation, search: str = "") -> QuerySet[User]:
    """The organisation's people (each once), by name; with `search`, those whose name, e-mail or role
    (its name in the active language) contains it, ignoring case."""
    memberships = Membership.objects.filter(organisation_id=organisation.pk)
    people = User.objects.filter(id__in=memberships.values("user_id"))
    if search:
        match = Q(id__in=people_matching(search).values("id"))
        roles = _roles_matching(search)
        if roles:
            match |= Q(id__in=memberships.filter(role__in=roles).values("user_id"))
        people = people.filter(match)
    return people.order_by("last_name", "first_name", "id")


def _roles_matching(search: str) -> list[str]:
    wanted = search.casefold()
    return [value for value, label in RoleChoice.choices if wanted in str(label).casefold()]


def organisation_member_page(
    organisation: Organisation, page: str | None, search: str = ""
) -> Page[MemberRow]:
    """One page of the organisation's people with their roles (two queries plus the count)."""
    paginator = DeepPaginator(organisation_member_users(organisation, search), MEMBERS_PER_PAGE)
    users_page = paginator.get_page(page)
    users = list(users_page.object_list)
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Membership.objects.filter(organisation_id=organisation.pk, user_id__in=[u.pk for u in users])
        .order_by("role")
        .values_list("user_id", "role")
    ):
        roles.setdefault(user_id, []).append(role)
    rows = [MemberRow(user=u, roles=roles.get(u.pk, [])) for u in users]
    return Page(rows, users_page.number, paginator)


def member_roles(organisation: Organisation, member: User) -> list[str]:
    return list(
        Membership.objects.filter(organisation_id=organisation.pk, user_id=member.pk)
        .order_by("role")
        .values_list("role", flat=True)
    )


def roles_for_kind(organisation: Organisation) -> list[tuple[str, str]]:
    """The roles people can hold in this kind of organisation, as (value, label) choices."""
    allowed = set(CLIENT_ROLE_VALUES if organisation.is_client else PROVIDER_ROLE_VALUES)
    if organisation.is_client:
        allowed.add(RoleChoice.EXPERT.value)  # a client's own staff can be internal experts
    return [(value, str(label)) for value, label in RoleChoice.choices if value in allowed]


# --- invitations ---------------------------------------------------------------------------------------

INVITATIONS_SHOWN = 50


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """Invitations neither accepted nor revoked (open or expired), newest first."""
    return list(
        Invitation.objects.filter(
            organisation_id=organisation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at", "-id")[:INVITATIONS_SHOWN]
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token names (any state), or None."""
    if not 0 < len(token) <= MAX_INVITATION_TOKEN:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
