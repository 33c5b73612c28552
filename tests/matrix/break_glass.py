"""The authorisation matrix's entries for break-glass access (see tests/matrix/__init__.py).

A client's break-glass page is for its admins (who decide) and operators (who ask); A's other members
get 403, everyone else 404. Deciding is for A's admins only: the operator who asked gets 403.
"""

from __future__ import annotations

from typing import Any

from kpo.orgs.models import BreakGlassGrant
from tests.authz import OBJECT, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

GRANT_OUTSIDERS = ("bob", "aud", "pete", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")


def _objects(cast: Cast) -> dict[str, Any]:
    grant = BreakGlassGrant.objects.create(
        organisation=cast.org_a, operator=cast.ops, reason=SECRET_A, hours=2
    )
    return {"grant_id": grant.pk}


PART = MatrixPart(
    web={
        "break_glass": Rule(OBJECT),
        "break_glass_approve": Rule(OBJECT),
        "break_glass_refuse": Rule(OBJECT),
        "break_glass_end": Rule(OBJECT),
    },
    outsiders_by_id={"grant_id": GRANT_OUTSIDERS},
    objects=_objects,
    scoped_models=[(BreakGlassGrant, "organisation")],
)
