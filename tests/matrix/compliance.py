"""The authorisation matrix's entries for compliance (see tests/matrix/__init__.py)."""

from __future__ import annotations

from typing import Any

from kpo.compliance.models import (
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)
from kpo.experts.models import ExpertProfile
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

EVERYONE = ("alice", "bob", "aud", "pete", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")
# client settings records: A's admins change them, A's requesters and auditors read them (403 on writes)
SETTINGS_OUTSIDERS = ("dave", "quinn", "pete", "carol", "rex", "erin", "ivan", "ops")


def objects(cast: Cast) -> dict[str, Any]:
    carol = ExpertProfile.objects.get(user=cast.carol)
    return {
        "competitor_id": Competitor.objects.create(
            client=cast.org_a, name=f"{SECRET_A} rival", key="zephyr gearbox efficiency rival"
        ).pk,
        "transfer_country_id": TransferCountry.objects.create(
            client=cast.org_a, country="IN", mechanism="scc", note=f"{SECRET_A} SCCs", recorded_by=cast.alice
        ).pk,
        "conflict_id": ConflictDeclaration.objects.create(
            expert=carol, name=f"{SECRET_A} partner", key="zephyr partner", client=cast.org_a
        ).pk,
        "coi_exception_id": ConflictException.objects.create(
            expert=carol,
            engagement=cast.engagement_a,
            justification=f"{SECRET_A}: reviewed",
            conflict="declared",
            granted_by=cast.alice,
        ).pk,
    }


PART = MatrixPart(
    web={
        "compliance_settings": Rule(OBJECT),
        "competitor_add": Rule(OBJECT),
        "competitor_remove": Rule(OBJECT),
        "transfer_country_add": Rule(OBJECT),
        "transfer_country_remove": Rule(OBJECT),
        "my_conflicts": Rule(SIGNED_IN, self_service=True),
        "conflict_withdraw": Rule(OBJECT, self_service=True),
        "coi_exception_create": Rule(OBJECT),
        "coi_exception_revoke": Rule(OBJECT),
    },
    api={
        "get_compliance_policy": Rule(OBJECT),
        "update_compliance_policy": Rule(
            OBJECT,
            body={
                "cooling_off_months": 3,
                "sensitive_cooling_off_months": 6,
                "forbid_former_employees": True,
            },
        ),
        "list_competitors": Rule(OBJECT),
        "create_competitor": Rule(OBJECT, body={"name": "Leak Rival"}),
        "delete_competitor": Rule(OBJECT),
        "list_transfer_countries": Rule(OBJECT),
        "create_transfer_country": Rule(OBJECT, body={"country": "BR", "mechanism": "scc"}),
        "delete_transfer_country": Rule(OBJECT),
        "get_engagement_residency": Rule(OBJECT),
        "list_my_conflicts": Rule(SIGNED_IN, self_service=True),
        "create_my_conflict": Rule(SIGNED_IN, body={"name": "Leak"}, self_service=True),
        "delete_my_conflict": Rule(OBJECT, self_service=True),
        "list_conflict_exceptions": Rule(OBJECT),
        "create_conflict_exception": Rule(OBJECT, body={"expert_id": 1, "justification": "Leak"}),
        "revoke_conflict_exception": Rule(OBJECT),
    },
    outsiders_by_id={
        "competitor_id": SETTINGS_OUTSIDERS,
        "transfer_country_id": SETTINGS_OUTSIDERS,
        "conflict_id": tuple(name for name in EVERYONE if name != "carol"),
        "coi_exception_id": ("dave", "quinn", "erin", "ivan", "carol", "rex", "bob", "ops"),
    },
    insider_by_id={"conflict_id": "carol"},
    objects=objects,
    scoped_models=[
        (CompliancePolicy, "client"),
        (Competitor, "client"),
        (TransferCountry, "client"),
        (ConflictDeclaration, "client"),
        (ConflictException, "engagement__client"),
    ],
)
