"""Who sees and changes rubrics, reviews and ratings (the task's and engagement's own doors apply first),
and whose delivered work the quality dashboard counts for a user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import access_engagement
from kpo.work.models import Engagement


def can_configure_rubric(user: AnyUser, engagement: Engagement) -> bool:
    """The client's admins configure an engagement's review rubric."""
    return engagement.client_id in org_ids_with_roles(user, {Role.CLIENT_ADMIN.value})


def access_rubric(user: AnyUser, engagement_id: object, *, write: bool = False) -> Engagement:
    """The engagement whose rubric the user may read (everyone who sees it) or change (its client admins)."""
    engagement = access_engagement(user, engagement_id)
    if write:
        require(
            can_configure_rubric(user, engagement), _("Only the client's admins change the review rubric.")
        )
    return engagement


# --- the quality dashboard ------------------------------------------------------------------------

DASHBOARD_CLIENT_ROLES = {Role.CLIENT_ADMIN.value, Role.AUDITOR.value}
DASHBOARD_PROVIDER_ROLES = {Role.PROVIDER_MANAGER.value, Role.AUDITOR.value}


@dataclass(frozen=True)
class DashboardScope:
    """The organisations whose delivered work a user reads on the quality dashboard: as a client (its
    admins and auditors: every provider's work on its engagements) or as a provider (its managers and
    auditors: its experts' work for every client)."""

    client_ids: frozenset[int]
    provider_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.client_ids or self.provider_ids)

    def engagements(self) -> Q:
        """The engagements in scope, as a filter on Engagement."""
        return Q(client_id__in=self.client_ids) | Q(provider_id__in=self.provider_ids)


def dashboard_scope(user: AnyUser) -> DashboardScope:
    if not user.is_authenticated:
        return DashboardScope(frozenset(), frozenset())
    return DashboardScope(
        frozenset(org_ids_with_roles(user, DASHBOARD_CLIENT_ROLES)),
        frozenset(org_ids_with_roles(user, DASHBOARD_PROVIDER_ROLES)),
    )


def access_dashboard(user: AnyUser) -> DashboardScope:
    """The user's scope on the quality dashboard; 404 for whoever has none (no such page for them)."""
    scope = dashboard_scope(user)
    if not scope:
        raise Http404("Not found.")
    return scope
