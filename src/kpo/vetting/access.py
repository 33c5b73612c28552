"""Who may see and change an expert's vetting and passport (docs/decisions.md, Tenancy: one door).

An expert's vetting belongs to the expert's provider: its provider managers run it, and the expert
sees their own and may apply, add credentials, sign
the platform terms and withdraw. Everyone else who may see the expert sees only the passport summary
on the profile. The passport requirements of an engagement are set by the client's admins and seen by
everyone who sees the engagement.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.engine.vetting import VettingCapacity
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import OrganisationKind
from kpo.orgs.selectors import memberships_of, org_ids_with_roles
from kpo.vetting.models import Credential
from kpo.work.access import access_engagement
from kpo.work.models import Engagement

STAFF_CAPACITIES = frozenset({VettingCapacity.PLATFORM_OPERATOR, VettingCapacity.PROVIDER_MANAGER})


def managed_provider_ids(user: AnyUser) -> set[int]:
    """The providers whose experts `user` vets (as one of their provider managers)."""
    return {
        m.organisation_id
        for m in memberships_of(user)
        if m.role == Role.PROVIDER_MANAGER.value and m.organisation.kind == OrganisationKind.PROVIDER
    }


def vetting_capacities(user: AnyUser, expert: ExpertProfile) -> frozenset[VettingCapacity]:
    """The capacities in which `user` acts on `expert`'s vetting (see kpo.engine.vetting)."""
    if not user.is_authenticated:
        return frozenset()
    held: set[VettingCapacity] = set()
    if expert.organisation_id in managed_provider_ids(user):
        held.add(VettingCapacity.PROVIDER_MANAGER)
    if expert.user_id == user.pk:
        held.add(VettingCapacity.EXPERT)
    return frozenset(held)


def manages(capacities: frozenset[VettingCapacity]) -> bool:
    """Provider managers run vetting; the expert alone does not."""
    return bool(capacities & STAFF_CAPACITIES)


def vetting_experts_visible_to(user: AnyUser) -> QuerySet[ExpertProfile]:
    """Experts whose vetting `user` may open: their provider's managers and themselves (operators are
    outsiders here: a break-glass grant reads like an auditor, and auditors do not open vetting)."""
    if not user.is_authenticated:
        return ExpertProfile.objects.none()
    return ExpertProfile.objects.filter(
        Q(organisation_id__in=managed_provider_ids(user)) | Q(user_id=user.pk)
    )


def access_vetting_expert(
    user: AnyUser, expert_id: object, *, manage: bool = False
) -> tuple[ExpertProfile, frozenset[VettingCapacity]]:
    """The expert and the user's capacities: 404 unless the user may open the expert's vetting (seeing
    the expert's profile is not enough: its existence stays hidden), 403 when, with `manage`, the user
    sees it but may not run it (the expert themselves)."""
    expert = get_visible_or_404(
        vetting_experts_visible_to(user).select_related("user", "organisation"), expert_id
    )
    held = vetting_capacities(user, expert)
    if manage:
        require(manages(held), _("Only the expert's provider managers do this."))
    return expert, held


def access_credential(
    user: AnyUser, credential_id: object, *, manage: bool = False
) -> tuple[Credential, frozenset[VettingCapacity]]:
    """A credential of an expert whose vetting the user may open (else 404)."""
    credential = get_visible_or_404(
        Credential.objects.filter(expert__in=vetting_experts_visible_to(user)).select_related(
            "expert", "expert__user", "expert__organisation", "verified_by"
        ),
        credential_id,
    )
    held = vetting_capacities(user, credential.expert)
    if manage:
        require(manages(held), _("Only the expert's provider managers verify credentials."))
    return credential, held


def can_set_requirements(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})


def access_engagement_requirements(
    user: AnyUser, engagement_id: object, *, write: bool = False
) -> Engagement:
    """The engagement (404 across tenants); with `write`, only the client's admins pass (403)."""
    engagement = access_engagement(user, engagement_id)
    if write:
        require(
            can_set_requirements(user, engagement),
            _("Only the client's admins set the passport requirements of an engagement."),
        )
    return engagement
