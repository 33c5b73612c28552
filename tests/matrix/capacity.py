"""The authorisation matrix's entries for capacity (see tests/matrix/__init__.py).

Capacity is a provider's own business: provider P's manager (pete) reads it; a client's people, P's
experts and reviewers, the other provider and operators get 404 for provider P (its existence as a
capacity page stays hidden), and for its teams. An absence of carol's is removed by carol or pete only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpo.capacity.models import Absence, Team, TeamMember
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import Cast
from tests.matrix import MatrixPart

PROVIDER_OUTSIDERS = ("alice", "bob", "aud", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")
ABSENCE_OUTSIDERS = ("alice", "bob", "aud", "rex", "erin", "ivan", "dave", "quinn", "ops")


def objects(cast: Cast) -> dict[str, Any]:
    absence = Absence.objects.create(
        expert=cast.carol.expert_profile,
        start=dt.date(2030, 1, 7),
        end=dt.date(2030, 1, 8),
        reason="Training",
        declared_by=cast.carol,
    )
    team = Team.objects.create(organisation=cast.provider_p, name="Process desk")
    TeamMember.objects.create(team=team, expert=cast.carol.expert_profile)
    return {"provider_id": cast.provider_p.pk, "absence_id": absence.pk, "team_id": team.pk}


PART = MatrixPart(
    web={
        "capacity": Rule(SIGNED_IN),
        "capacity_csv": Rule(SIGNED_IN),
        "absence_create": Rule(OBJECT),
        "absence_remove": Rule(OBJECT),
        "capacity_teams": Rule(SIGNED_IN),
        "capacity_team_create": Rule(SIGNED_IN),
        "capacity_team": Rule(OBJECT),
        "capacity_team_edit": Rule(OBJECT),
        "capacity_team_delete": Rule(OBJECT),
    },
    api={
        "get_capacity": Rule(OBJECT),
        "get_team_capacity": Rule(OBJECT),
        "list_teams": Rule(OBJECT),
        "create_team": Rule(OBJECT, body={"name": "Leak team", "members": []}),
        "get_team": Rule(OBJECT),
        "update_team": Rule(OBJECT, body={"name": "Leak team"}),
        "delete_team": Rule(OBJECT),
    },
    outsiders_by_id={
        "provider_id": PROVIDER_OUTSIDERS,
        "absence_id": ABSENCE_OUTSIDERS,
        "team_id": PROVIDER_OUTSIDERS,
    },
    insider_by_id={"provider_id": "pete", "absence_id": "pete", "team_id": "pete"},
    objects=objects,
    hidden_by_id={"provider_id": PROVIDER_OUTSIDERS, "team_id": PROVIDER_OUTSIDERS},
)
