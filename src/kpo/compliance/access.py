"""Who reads and changes compliance records (docs/decisions.md, Tenancy: one door, 404 across tenants).

A client's policy, competitors and transfer countries: its admins change them; its admins, requesters
and auditors read them. Declarations: only the expert who made them. Exceptions: the client's admins
and the provider's managers record and revoke them; both sides' readers (and auditors) see them.
Operators hold no standing access: a break-glass grant makes them the client's auditor (read only).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kpo.compliance.models import Competitor, ConflictDeclaration, ConflictException, TransferCountry
from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import first_org_with_roles, memberships_of, org_ids_with_roles
from kpo.work.access import CLIENT_READERS, PROVIDER_READERS, access_engagement, engagements_visible_to
from kpo.work.models import Engagement

POLICY_READERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
POLICY_WRITERS = {Role.CLIENT_ADMIN.value}
EXCEPTION_GRANTERS_CLIENT = {Role.CLIENT_ADMIN.value}
EXCEPTION_GRANTERS_PROVIDER = {Role.PROVIDER_MANAGER.value}


def settings_client_id(user: AnyUser) -> int | None:
    """The first client whose compliance settings the user reads, or None."""
    return first_org_with_roles(user, POLICY_READERS, kind=OrganisationKind.CLIENT)


def client_ids_readable(user: AnyUser) -> set[int]:
    return org_ids_with_roles(user, POLICY_READERS)


def can_change_policy(user: AnyUser, client: Organisation) -> bool:
    return client.pk in org_ids_with_roles(user, POLICY_WRITERS)


def _require_writer(user: AnyUser, client: Organisation) -> None:
    require(can_change_policy(user, client), _("Only the client's admins change its compliance settings."))


def access_compliance_client(user: AnyUser, organisation_id: object, *, write: bool = False) -> Organisation:
    """A client organisation whose compliance settings the user may read (or, with `write`, change)."""
    queryset = Organisation.objects.filter(
        kind=OrganisationKind.CLIENT, id__in={m.organisation_id for m in memberships_of(user)}
    )
    client = get_visible_or_404(queryset, organisation_id)
    require(
        client.pk in client_ids_readable(user),
        _("Only the client's admins, requesters and auditors see its compliance settings."),
    )
    if write:
        _require_writer(user, client)
    return client


Listed = TypeVar("Listed", Competitor, TransferCountry)


def _listed(user: AnyUser, queryset: QuerySet[Listed], pk: object, write: bool) -> Listed:
    """An entry of a client's lists the user may read (or, with `write`, change)."""
    entry = get_visible_or_404(queryset.filter(client_id__in=client_ids_readable(user)), pk)
    if write:
        _require_writer(user, entry.client)
    return entry


def access_competitor(user: AnyUser, competitor_id: object, *, write: bool = False) -> Competitor:
    return _listed(user, Competitor.objects.select_related("client", "organisation"), competitor_id, write)


def access_transfer_country(
    user: AnyUser, transfer_country_id: object, *, write: bool = False
) -> TransferCountry:
    return _listed(user, TransferCountry.objects.select_related("client"), transfer_country_id, write)


def access_own_declaration(user: AnyUser, conflict_id: object) -> ConflictDeclaration:
    """One of the user's own declarations; anybody else's answers 404."""
    queryset = ConflictDeclaration.objects.filter(expert__user_id=user.pk or 0).select_related(
        "expert", "expert__organisation", "client"
    )
    return get_visible_or_404(queryset, conflict_id)


def can_grant_exceptions(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(
        user, EXCEPTION_GRANTERS_CLIENT
    ) or engagement.provider_id in org_ids_with_roles(user, EXCEPTION_GRANTERS_PROVIDER)


def can_read_exceptions(user: AnyUser, engagement: Engagement) -> bool:
    return engagement.client_id in org_ids_with_roles(
        user, CLIENT_READERS
    ) or engagement.provider_id in org_ids_with_roles(user, PROVIDER_READERS)


def access_engagement_exceptions(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    """The engagement, when the user may read (or, with `write`, record) its conflict exceptions."""
    engagement = access_engagement(user, engagement_id)
    require(
        can_read_exceptions(user, engagement),
        _("Only the client's and the provider's managers see conflict-of-interest exceptions."),
    )
    if write:
        require(
            can_grant_exceptions(user, engagement),
            _("Only the client's admins and the provider's managers record exceptions."),
        )
    return engagement


def access_conflict_exception(
    user: AnyUser, coi_exception_id: object, *, write: bool = False
) -> ConflictException:
    queryset = ConflictException.objects.filter(engagement__in=engagements_visible_to(user)).select_related(
        "engagement", "engagement__client", "engagement__provider", "expert", "expert__user", "granted_by"
    )
    exception = get_visible_or_404(queryset, coi_exception_id)
    require(
        can_read_exceptions(user, exception.engagement),
        _("Only the client's and the provider's managers see conflict-of-interest exceptions."),
    )
    if write:
        require(
            can_grant_exceptions(user, exception.engagement),
            _("Only the client's admins and the provider's managers revoke exceptions."),
        )
    return exception
