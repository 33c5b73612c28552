"""Who sees and commits staffing runs: the provider's managers (docs/decisions.md, Tenancy). Operators
hold no standing access; a break-glass grant (an auditor's reading) does not open them either."""

from __future__ import annotations

from django.db.models import QuerySet

from kpo.core.access import get_visible_or_404
from kpo.core.types import AnyUser
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import org_ids_with_roles
from kpo.staffing.models import StaffingRun
from kpo.work.access import PROVIDER_WRITERS


def managed_provider_ids(user: AnyUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return org_ids_with_roles(user, PROVIDER_WRITERS)


def runs_visible_to(user: AnyUser) -> QuerySet[StaffingRun]:
    if not user.is_authenticated:
        return StaffingRun.objects.none()
    return StaffingRun.objects.filter(provider_id__in=managed_provider_ids(user))


def access_run(user: AnyUser, run_id: object) -> StaffingRun:
    """The run, if the user manages its provider; 404 otherwise."""
    return get_visible_or_404(runs_visible_to(user).select_related("provider", "created_by"), run_id)


def access_staffing_provider(user: AnyUser, provider_id: object) -> Organisation:
    """A provider the user manages; 404 otherwise."""
    return get_visible_or_404(
        Organisation.objects.filter(id__in=managed_provider_ids(user), kind=OrganisationKind.PROVIDER),
        provider_id,
    )
