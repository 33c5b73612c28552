"""The authorisation matrix's entries for vetting (see tests/matrix/__init__.py).

The vetting objects belong to provider P's expert carol (pete runs her vetting); client A's
engagement carries the passport requirements. Carol's vetting data names SECRET_A so a leak shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from kpo.vetting.models import (
    BackgroundCheck,
    Credential,
    EngagementRequirements,
    Reference,
    VettingEvent,
    VettingRecord,
)
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

# who may not open carol's vetting: everyone but carol herself and her provider's manager (operators
# neither: a break-glass grant reads like an auditor, and auditors do not open vetting)
VETTING_OUTSIDERS = ("alice", "bob", "aud", "rex", "erin", "ivan", "dave", "quinn", "ops")

# the provider P delivers client A's engagement: through it, P's vetting rows count as A's
VIA_P = "expert__organisation__provider_engagements__client"


def objects(cast: Cast) -> dict[str, Any]:
    carol = cast.carol.expert_profile
    record = VettingRecord.objects.create(expert=carol, state="screening", started_by=cast.pete)
    VettingEvent.objects.create(
        record=record,
        actor=cast.pete,
        action="start_screening",
        from_state="applied",
        to_state="screening",
        note=f"{SECRET_A} screening",
        at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    credential = Credential(
        expert=carol,
        kind="degree",
        level="master",
        title="MSc Industrial Engineering",
        issuer=f"{SECRET_A} institute",
        original_name="msc.txt",
        content_type="text/plain",
        size=10,
        sha256="0" * 64,
        uploaded_by=cast.carol,
    )
    credential.file.save("msc.txt", ContentFile(f"{SECRET_A} diploma".encode()), save=True)
    Reference.objects.create(
        expert=carol, name=f"{SECRET_A} referee", relation="former manager", recorded_by=cast.pete
    )
    EngagementRequirements.objects.create(
        engagement=cast.engagement_a,
        required_trainings=f"{SECRET_A} induction",
        updated_by=cast.alice,
    )
    return {"vetting_expert_id": carol.pk, "credential_id": credential.pk}


PART = MatrixPart(
    web={
        "vetting_queue": Rule(SIGNED_IN),
        "vetting_policy": Rule(SIGNED_IN),
        "vetting_expert": Rule(OBJECT),
        "vetting_passport": Rule(OBJECT),
        "vetting_start": Rule(OBJECT),
        "vetting_transition": Rule(OBJECT),
        "vetting_credential_add": Rule(OBJECT),
        "vetting_background_check_add": Rule(OBJECT),
        "vetting_reference_add": Rule(OBJECT),
        "vetting_training_add": Rule(OBJECT),
        "vetting_terms_sign": Rule(OBJECT),
        "vetting_credential_verify": Rule(OBJECT),
        "vetting_credential_evidence": Rule(OBJECT),
        "vetting_engagement_requirements": Rule(OBJECT),
    },
    api={
        "list_vetting_records": Rule(SIGNED_IN),
        "get_vetting": Rule(OBJECT),
        "start_vetting": Rule(OBJECT, body={"note": "Leak"}),
        "transition_vetting": Rule(OBJECT, body={"state": "credentials_verified", "comment": "Leak"}),
        "list_credentials": Rule(OBJECT),
        "create_credential": Rule(
            OBJECT, body={"kind": "degree", "title": "Leak", "level": "phd"}, files=True
        ),
        "verify_credential": Rule(OBJECT, body={"method": "document_review"}),
        "download_credential_evidence": Rule(OBJECT),
        "get_passport": Rule(OBJECT),
        "get_passport_requirements": Rule(OBJECT),
        "set_passport_requirements": Rule(OBJECT, body={"background_check_max_age_months": 6}),
    },
    outsiders_by_id={"vetting_expert_id": VETTING_OUTSIDERS, "credential_id": VETTING_OUTSIDERS},
    hidden_by_id={"vetting_expert_id": VETTING_OUTSIDERS, "credential_id": VETTING_OUTSIDERS},
    insider_by_id={"vetting_expert_id": "pete", "credential_id": "pete"},
    objects=objects,
    scoped_models=[
        (VettingRecord, VIA_P),
        (VettingEvent, f"record__{VIA_P}"),
        (Credential, VIA_P),
        (BackgroundCheck, VIA_P),
        (Reference, VIA_P),
        (EngagementRequirements, "engagement__client"),
    ],
)
