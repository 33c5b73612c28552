"""Who sees the demand forecast: a provider's managers (every active engagement their provider delivers,
with its free hours and shortfalls) and a client's admins (their own engagements' expected hours; the
provider's free hours are the provider's business). Operators hold no standing access."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.access import access_own_organisation
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import PROVIDER_WRITERS
from kpo.work.models import Engagement, EngagementStatus

CLIENT_PLANNERS = {Role.CLIENT_ADMIN.value}


@dataclass(frozen=True)
class ForecastScope:
    provider_ids: frozenset[int]
    client_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.provider_ids and not self.client_ids


def forecast_scope(user: AnyUser) -> ForecastScope:
    if not user.is_authenticated:
        return ForecastScope(frozenset(), frozenset())
    return ForecastScope(
        frozenset(org_ids_with_roles(user, PROVIDER_WRITERS)),
        frozenset(org_ids_with_roles(user, CLIENT_PLANNERS)),
    )


def access_forecast_organisation(user: AnyUser, organisation_id: object) -> ForecastScope:
    """The forecast of one organisation: a provider the user manages (with its free hours and
    shortfalls) or a client whose admin they are. 404 for an organisation the user is not a member of,
    403 for its members in other roles."""
    organisation = access_own_organisation(user, organisation_id)
    scope = forecast_scope(user)
    require(
        organisation.pk in scope.provider_ids | scope.client_ids,
        _("Only a provider's managers and a client's admins read its demand forecast."),
    )
    if organisation.pk in scope.provider_ids:
        return ForecastScope(frozenset({organisation.pk}), frozenset())
    return ForecastScope(frozenset(), frozenset({organisation.pk}))


def forecast_engagements(scope: ForecastScope) -> QuerySet[Engagement]:
    """The active engagements the forecast covers for this scope."""
    return Engagement.objects.filter(
        Q(provider_id__in=scope.provider_ids) | Q(client_id__in=scope.client_ids),
        status=EngagementStatus.ACTIVE,
    )


def can_scale(user: AnyUser, engagement: Engagement) -> bool:
    """The engagement's provider managers and its client's admins may scale its team."""
    scope = forecast_scope(user)
    return engagement.provider_id in scope.provider_ids or engagement.client_id in scope.client_ids


def can_release(user: AnyUser, engagement: Engagement) -> bool:
    """Releasing an expert is for the provider's managers and the client's admins alike."""
    return can_scale(user, engagement)
