"""Who sees capacity and who declares absences (docs/decisions.md, Tenancy).

A provider's managers and auditors read the capacity of its experts; a client never sees a provider's
people here. An absence is declared or removed by the expert themself or a manager of their provider.
A provider's teams are read by its managers and auditors and kept by its managers.
Memberships are read directly (not through `org_ids_with_roles`) because break-glass grants are for
clients' data only and must not be counted as used here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.capacity.models import Absence, Team
from kpo.core.access import get_visible_or_404
from kpo.core.types import AnyUser
from kpo.experts.access import access_expert
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import memberships_of
from kpo.work.access import PROVIDER_READERS, PROVIDER_WRITERS


def _provider_ids(user: AnyUser, roles: set[str]) -> set[int]:
    if not user.is_authenticated:
        return set()
    return {
        m.organisation_id
        for m in memberships_of(user)
        if m.role in roles
        and m.organisation.kind == OrganisationKind.PROVIDER
        and getattr(m, "break_glass", None) is None
    }


def readable_provider_ids(user: AnyUser) -> set[int]:
    """Providers whose capacity the user reads: as manager or auditor."""
    return _provider_ids(user, PROVIDER_READERS)


def managed_provider_ids(user: AnyUser) -> set[int]:
    return _provider_ids(user, PROVIDER_WRITERS)


def access_capacity_provider(user: AnyUser, provider_id: object) -> Organisation:
    """A provider whose capacity the user reads; 404 otherwise (a client's people included)."""
    return get_visible_or_404(
        Organisation.objects.filter(id__in=readable_provider_ids(user), kind=OrganisationKind.PROVIDER),
        provider_id,
    )


def can_manage_absences(user: AnyUser, expert: ExpertProfile) -> bool:
    if not user.is_authenticated:
        return False
    return expert.user_id == user.pk or expert.organisation_id in managed_provider_ids(user)


def access_absence_expert(user: AnyUser, expert_id: object) -> ExpertProfile:
    """An expert whose absences the user declares: 404 when the profile is hidden, 403 when it is seen
    but neither theirs nor one of their provider's."""
    expert = access_expert(user, expert_id)
    if not can_manage_absences(user, expert):
        raise PermissionDenied(_("Only the expert and their provider's managers declare absences."))
    return expert


def absences_visible_to(user: AnyUser) -> QuerySet[Absence]:
    if not user.is_authenticated:
        return Absence.objects.none()
    return Absence.objects.filter(
        Q(expert__user_id=user.pk) | Q(expert__organisation_id__in=readable_provider_ids(user))
    )


def access_absence(user: AnyUser, absence_id: object) -> Absence:
    """An absence the user may remove: 404 when they do not see it, 403 when they only read it."""
    absence = get_visible_or_404(
        absences_visible_to(user).select_related("expert", "expert__organisation"), absence_id
    )
    if not can_manage_absences(user, absence.expert):
        raise PermissionDenied(_("Only the expert and their provider's managers remove absences."))
    return absence


def access_team(user: AnyUser, team_id: object) -> Team:
    """A team the user reads (of a provider they manage or audit); 404 otherwise."""
    return get_visible_or_404(
        Team.objects.filter(organisation_id__in=readable_provider_ids(user)).select_related("organisation"),
        team_id,
    )


def access_team_for_change(user: AnyUser, team_id: object) -> Team:
    """A team the user keeps: 404 when they do not read it, 403 when they only read it."""
    team = access_team(user, team_id)
    if team.organisation_id not in managed_provider_ids(user):
        raise PermissionDenied(_("Only the provider's managers change its teams."))
    return team


def access_team_provider(user: AnyUser, provider_id: object) -> Organisation:
    """A provider whose teams the user keeps: 404 when they do not read its capacity, 403 when they
    only read it."""
    provider = access_capacity_provider(user, provider_id)
    if provider.pk not in managed_provider_ids(user):
        raise PermissionDenied(_("Only the provider's managers change its teams."))
    return provider
