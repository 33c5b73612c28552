"""Who sees which organisations: their own, and every provider (the directory clients choose from).

Operators see every organisation's name and profile (platform administration, and to ask a client for
break-glass access), but its members and settings only as an auditor through an active grant."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.break_glass import is_operator
from kpo.orgs.models import (
    ADMIN_ROLE_VALUES,
    BreakGlassGrant,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
)
from kpo.orgs.selectors import memberships_of, org_ids_with_roles


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_operator(user):
        return Organisation.objects.all()
    own = {m.organisation_id for m in memberships_of(user)}
    return Organisation.objects.filter(Q(id__in=own) | Q(kind=OrganisationKind.PROVIDER))


def access_organisation(user: AnyUser, organisation_id: object) -> Organisation:
    return get_visible_or_404(organisations_visible_to(user).select_related("parent"), organisation_id)


def access_organisation_page(user: AnyUser, organisation_id: object) -> tuple[Organisation, bool]:
    """An organisation's page and whether its people show: its members see them; operators see any
    organisation's profile, its people only through a grant (which makes them a member); others 404."""
    own = {m.organisation_id for m in memberships_of(user)}
    queryset = Organisation.objects.all() if is_operator(user) else Organisation.objects.filter(id__in=own)
    organisation = get_visible_or_404(queryset.select_related("parent"), organisation_id)
    return organisation, organisation.pk in own


def access_own_organisation(user: AnyUser, organisation_id: object, *, admin: bool = False) -> Organisation:
    """An organisation the user belongs to (members, settings); others answer 404."""
    own = {m.organisation_id for m in memberships_of(user)}
    organisation = get_visible_or_404(Organisation.objects.filter(id__in=own), organisation_id)
    if admin:
        require(can_manage_organisation(user, organisation), _("Admins only."))
    return organisation


def can_manage_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Admins (client admins, provider managers) manage members and invitations; operators do not (they
    could otherwise invite themselves past break-glass)."""
    if not user.is_authenticated:
        return False
    return organisation.pk in org_ids_with_roles(user, ADMIN_ROLE_VALUES)


def access_member(user: AnyUser, organisation_id: object, member_id: object) -> tuple[Organisation, User]:
    """A member of an organisation the user administers; others answer 404 (non-admins 403)."""
    organisation = access_own_organisation(user, organisation_id, admin=True)
    members = User.objects.filter(
        id__in=Membership.objects.filter(organisation_id=organisation.pk).values("user_id")
    )
    return organisation, get_visible_or_404(members, member_id)


def access_invitation(user: AnyUser, organisation_id: object, invitation_id: object) -> Invitation:
    """An invitation of an organisation the user administers; others answer 404 (non-admins 403)."""
    organisation = access_own_organisation(user, organisation_id, admin=True)
    invitation = get_visible_or_404(Invitation.objects.filter(organisation_id=organisation.pk), invitation_id)
    invitation.organisation = organisation
    return invitation


def access_break_glass(user: AnyUser, organisation_id: object, *, decide: bool = False) -> Organisation:
    """A client organisation's break-glass page: its admins (who decide) and operators (who ask).

    Others answer 404; the organisation's other members 403; operators 403 when deciding.
    """
    own = {m.organisation_id for m in memberships_of(user)}
    reachable = Q(id__in=own) | Q(kind=OrganisationKind.CLIENT) if is_operator(user) else Q(id__in=own)
    organisation = get_visible_or_404(Organisation.objects.filter(reachable), organisation_id)
    if not organisation.is_client:
        raise Http404("Not found.")
    admin = organisation.pk in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})
    if decide:
        require(admin, _("Only the client's admins approve, refuse or end break-glass access."))
    else:
        require(
            admin or is_operator(user), _("Only the client's admins and operators see break-glass access.")
        )
    return organisation


def access_break_glass_grant(user: AnyUser, organisation_id: object, grant_id: object) -> BreakGlassGrant:
    organisation = access_break_glass(user, organisation_id, decide=True)
    grant = get_visible_or_404(
        BreakGlassGrant.objects.filter(organisation_id=organisation.pk).select_related("operator"), grant_id
    )
    grant.organisation = organisation
    return grant
