"""Who reads and saves make-or-buy scenarios: a client's admins and requesters, for that client only.

Scenarios of other clients answer 404 (one door per object kind: :func:`access_scenario`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from kpo.core.access import get_visible_or_404
from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import first_org_with_roles, org_ids_with_roles

SCENARIO_ROLES = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value}


def scenario_clients(user: User) -> list[Organisation]:
    """The clients whose make-or-buy scenarios ``user`` may read and save (admins, requesters)."""
    ids = org_ids_with_roles(user, SCENARIO_ROLES)
    return list(Organisation.objects.filter(id__in=ids, kind=OrganisationKind.CLIENT).order_by("id"))


def scenario_client_id(user: User | AnonymousUser) -> int | None:
    """The first client whose scenarios ``user`` may read and save, or None (no query)."""
    return first_org_with_roles(user, SCENARIO_ROLES, kind=OrganisationKind.CLIENT)


def scenarios_visible_to(user: User | AnonymousUser) -> QuerySet[MakeOrBuyScenario]:
    """Scenarios of the clients where ``user`` is an admin or a requester."""
    if not user.is_authenticated:
        return MakeOrBuyScenario.objects.none()
    ids = org_ids_with_roles(user, SCENARIO_ROLES)
    return MakeOrBuyScenario.objects.filter(client_id__in=ids).select_related("client", "created_by")


def access_scenario(user: User | AnonymousUser, scenario_id: object) -> MakeOrBuyScenario:
    """The one door for a scenario: others' answer 404."""
    return get_visible_or_404(scenarios_visible_to(user), scenario_id)
