"""The authorisation matrix's entries for make-or-buy scenarios (see tests/matrix/__init__.py).

The pages `make_or_buy` and `scenario_detail` and the id kind `scenario_id` (with its outsiders and
client A's scenario) are in the base tables of tests/test_authorisation_matrix.py; this part adds
deleting on the web and the API operations. Scenarios are client A's admins' and requesters' only:
its auditor and everyone else get 404.
"""

from __future__ import annotations

from typing import Any

from kpo.economics.models import MakeOrBuyScenario
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.matrix import MatrixPart

NEED: dict[str, Any] = {
    "occupation": "17-2112",
    "hours_per_year": 1600,
    "months": 12,
    "currency": "DKK",
    "client_country": "DK",
    "options": [{"sourcing": "offshore", "country": "IN"}],
}

PART = MatrixPart(
    web={"scenario_delete": Rule(OBJECT)},
    api={
        "get_make_or_buy_reference": Rule(SIGNED_IN),
        "compare_make_or_buy": Rule(SIGNED_IN, body=NEED),
        "list_scenarios": Rule(SIGNED_IN),
        "create_scenario": Rule(SIGNED_IN, body={**NEED, "client": 1, "name": "Leak"}),
        "get_scenario": Rule(OBJECT),
        "delete_scenario": Rule(OBJECT),
    },
    scoped_models=[(MakeOrBuyScenario, "client")],
)
