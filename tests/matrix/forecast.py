"""The authorisation matrix's entries for the demand forecast and team changes (see tests/matrix/__init__.py).

The forecast page is for the provider's managers and the client's admins, each seeing only their own
engagements (tests/forecast/test_forecast_page.py checks who sees what; others get 404). The team page
and its two actions hang off an engagement: its outsiders get 404, and of those who see the engagement
only the provider's managers and the client's admins may change the team (others 403), on the pages and
through the API's scale and release operations. The API's forecast of one organisation is for its
provider's managers and its client's admins: its other members get 403, everyone else 404.
"""

from __future__ import annotations

from kpo.forecast.models import PlannedStart, TeamChange
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.matrix import MatrixPart, Statuses

PART = MatrixPart(
    web={
        "demand_forecast": Rule(SIGNED_IN),
        "team_change": Rule(OBJECT),
        "team_scale": Rule(OBJECT),
        "team_release": Rule(OBJECT),
    },
    api={
        "scale_team": Rule(
            OBJECT,
            body={
                "experts": 1,
                "skill_ids": [1],
                "starts": "2030-01-07",
                "hours_per_week": "20",
                "until": "2030-02-01",
            },
        ),
        "release_from_team": Rule(OBJECT, body={"expert_id": 1, "on_date": "2030-01-07"}),
        "get_forecast": Rule(OBJECT),
    },
    statuses={
        "get_forecast": Statuses(
            {
                **dict.fromkeys(("pete", "carol", "rex", "erin", "dave", "quinn", "ops"), 404),
                **{"alice": 200, "bob": 403, "aud": 403, "ivan": 403},
            },
            fields=("organisation_id", "weeks", "method", "domains", "skills", "bench_experts"),
        )
    },
    scoped_models=[(TeamChange, "engagement__client"), (PlannedStart, "task__engagement__client")],
)
