"""Who sees which expert profiles.

A provider's people see their own organisation's experts. A client's people see their own internal
staff, the experts of third-party firms and freelance pools (the marketplace), and the experts of
their own captive subsidiaries. Nobody outside a client sees that client's internal staff. Operators
are outsiders unless a break-glass grant makes them an auditor of a client for a while.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kpo.core.access import get_visible_or_404
from kpo.core.types import AnyUser
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import OrganisationKind, ProviderType
from kpo.orgs.selectors import memberships_of


def experts_visible_to(user: AnyUser) -> QuerySet[ExpertProfile]:
    if not user.is_authenticated:
        return ExpertProfile.objects.none()
    memberships = memberships_of(user)
    own_orgs = {m.organisation_id for m in memberships}
    client_orgs = {m.organisation_id for m in memberships if m.organisation.kind == OrganisationKind.CLIENT}
    visible = Q(organisation_id__in=own_orgs) | Q(user_id=user.pk)
    if client_orgs:
        marketplace = Q(
            organisation__provider_type__in=[ProviderType.THIRD_PARTY, ProviderType.FREELANCE_POOL]
        )
        captives = Q(
            organisation__provider_type=ProviderType.CAPTIVE, organisation__parent_id__in=client_orgs
        )
        visible |= marketplace | captives
    return ExpertProfile.objects.filter(visible)


def access_expert(user: AnyUser, expert_id: object) -> ExpertProfile:
    return get_visible_or_404(experts_visible_to(user).select_related("user", "organisation"), expert_id)


def sees_expert_rates(user: AnyUser, expert: ExpertProfile) -> bool:
    """Cost rates are for the expert's own organisation; a client (or an operator) never sees them."""
    if not user.is_authenticated:
        return False
    return any(m.organisation_id == expert.organisation_id for m in memberships_of(user))
