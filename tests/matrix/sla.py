"""The authorisation matrix's entries for sla (see tests/matrix/__init__.py).

Client A's engagement has an SLA policy, and task A a dispute (reason and evidence naming SECRET_A).
SLA reports and disputes are for the client's members and the provider's managers (operators see a
dispute only once a side asks them to mediate; this one is not in mediation): the provider's experts
(carol, rex, erin) are outsiders to disputes although they see the task. Task A also has a meeting with
a picked slot: its two sides (the client's admins and requesters; the provider's managers and the task's
experts carol and rex) plan and download it; the client's auditor sees the task but is refused (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from kpo.sla.models import Dispute, DisputeEvidence, DisputeStep, Meeting, MeetingStatus, SlaPolicy
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

DISPUTE_OUTSIDERS = ("dave", "quinn", "carol", "rex", "erin", "ivan", "ops")
MEETING_OUTSIDERS = ("dave", "quinn", "erin", "ivan", "ops")


def objects(cast: Cast) -> dict[str, Any]:
    SlaPolicy.objects.create(engagement=cast.engagement_a, updated_by=cast.alice)
    dispute = Dispute.objects.create(
        task=cast.task_a,
        opened_by=cast.bob,
        reason=f"{SECRET_A}: the numbers do not add up.",
        response_due_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    DisputeStep.objects.create(
        dispute=dispute, kind="opened", actor=cast.bob, note=f"{SECRET_A} complaint", at=dispute.created_at
    )
    evidence = DisputeEvidence(
        dispute=dispute,
        original_name="evidence.txt",
        content_type="text/plain",
        size=10,
        sha256="0" * 64,
        uploaded_by=cast.bob,
    )
    evidence.file.save("evidence.txt", ContentFile(f"{SECRET_A} evidence".encode()), save=True)
    slot = dt.datetime(2030, 1, 2, 9, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        task=cast.task_a,
        proposed_by=cast.bob,
        side="client",
        minutes=30,
        slot_1=slot,
        status=MeetingStatus.PICKED,
        picked=slot,
        picked_by=cast.carol,
    )
    return {"dispute_id": dispute.pk, "dispute_evidence_id": evidence.pk, "meeting_id": meeting.pk}


PART = MatrixPart(
    web={
        "sla_report": Rule(OBJECT),
        "sla_report_csv": Rule(OBJECT),
        "sla_policy_edit": Rule(OBJECT),
        "dispute_create": Rule(OBJECT),
        "dispute_list": Rule(SIGNED_IN),
        "dispute_detail": Rule(OBJECT),
        "dispute_respond": Rule(OBJECT),
        "dispute_agree": Rule(OBJECT),
        "dispute_mediation": Rule(OBJECT),
        "dispute_resolve": Rule(OBJECT),
        "dispute_evidence_add": Rule(OBJECT),
        "dispute_evidence_download": Rule(OBJECT),
        "task_meetings": Rule(OBJECT),
        "meeting_pick": Rule(OBJECT),
        "meeting_ics": Rule(OBJECT),
    },
    api={
        "get_sla_report": Rule(OBJECT),
        "update_sla_policy": Rule(OBJECT, body={"response_hours": 4}),
        "get_task_sla": Rule(OBJECT),
        "list_disputes": Rule(SIGNED_IN),
        "open_dispute": Rule(OBJECT, body={"reason": "Leak"}, files=True),
        "get_dispute": Rule(OBJECT),
        "respond_to_dispute": Rule(OBJECT, body={"response": "Leak", "proposed_outcome": "accept"}),
        "agree_to_dispute_proposal": Rule(OBJECT, body={"note": "Leak"}),
        "request_dispute_mediation": Rule(OBJECT, body={"note": "Leak"}),
        "resolve_dispute": Rule(OBJECT, body={"outcome": "accept", "note": "Leak"}),
        "add_dispute_evidence": Rule(OBJECT, body={"note": "Leak"}, files=True),
        "download_dispute_evidence": Rule(OBJECT),
    },
    outsiders_by_id={
        "dispute_id": DISPUTE_OUTSIDERS,
        "dispute_evidence_id": DISPUTE_OUTSIDERS,
        "meeting_id": MEETING_OUTSIDERS,
    },
    objects=objects,
    scoped_models=[
        (SlaPolicy, "engagement__client"),
        (Dispute, "task__engagement__client"),
        (DisputeEvidence, "dispute__task__engagement__client"),
        (DisputeStep, "dispute__task__engagement__client"),
        (Meeting, "task__engagement__client"),
    ],
)
