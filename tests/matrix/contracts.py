"""The authorisation matrix's entries for statements of work (see tests/matrix/__init__.py).

Engagement A has an approved SOW (v1) and a proposed change (v2). The matrix's version is v2: the
sides' people read it (alice, bob, aud; pete); the experts on A's tasks read only the approved v1, so
for v2 they are outsiders like everyone outside the engagement.
"""

from __future__ import annotations

from typing import Any

from kpo.contracts import services
from kpo.contracts.models import SowApproval, SowItem, SowVersion, StatementOfWork, TaskSowLink
from tests.authz import OBJECT, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

SOW = {
    "scope": f"{SECRET_A} scope",
    "deliverables": "Report",
    "items": "D1: Report",
    "acceptance_criteria": "Accepted by the client.",
    "change_procedure": "In writing.",
}
SOW_BODY = {
    "scope": "Leak",
    "acceptance_criteria": "Leak",
    "change_procedure": "Leak",
    "items": [{"code": "D1", "title": "Leak"}],
}


def _objects(cast: Cast) -> dict[str, Any]:
    first = services.sow_propose(
        user=cast.alice, version=services.sow_draft(user=cast.alice, engagement=cast.engagement_a, data=SOW)
    )
    for user, name in ((cast.alice, "Alice Admin"), (cast.pete, "Pete Manager")):
        services.sow_approve(user=user, version=first, typed_name=name, content_sha256=first.content_sha256)
    change = services.sow_change_request(user=cast.alice, engagement=cast.engagement_a, reason=SECRET_A)
    services.sow_propose(user=cast.alice, version=change)
    return {"sow_version_id": change.pk}


PART = MatrixPart(
    web={
        "engagement_sow": Rule(OBJECT),
        "sow_create": Rule(OBJECT),
        "sow_change_request": Rule(OBJECT),
        "sow_milestone_link": Rule(OBJECT),
        "sow_version_detail": Rule(OBJECT),
        "sow_version_edit": Rule(OBJECT),
        "sow_version_propose": Rule(OBJECT),
        "sow_version_approve": Rule(OBJECT),
        "sow_version_pdf": Rule(OBJECT),
        "task_sow_link": Rule(OBJECT),
    },
    api={
        "get_engagement_sow": Rule(OBJECT),
        "create_sow": Rule(OBJECT, body=SOW_BODY),
        "request_sow_change": Rule(OBJECT, body={"reason": "Leak"}),
        "get_sow_version": Rule(OBJECT),
        "update_sow_version": Rule(OBJECT, body=SOW_BODY),
        "propose_sow_version": Rule(OBJECT),
        "approve_sow_version": Rule(OBJECT, body={"typed_name": "Leak", "content_sha256": "0" * 64}),
        "download_sow_version_pdf": Rule(OBJECT),
        "link_task_to_sow_item": Rule(OBJECT, body={"code": "D1"}),
        "link_milestone_to_sow_item": Rule(OBJECT, body={"code": "D1"}),
    },
    outsiders_by_id={"sow_version_id": ("dave", "quinn", "erin", "ivan", "carol", "rex", "ops")},
    hidden_by_id={"sow_version_id": ("dave", "quinn", "erin", "ivan", "carol", "rex", "ops")},
    objects=_objects,
    scoped_models=[
        (StatementOfWork, "engagement__client"),
        (SowVersion, "sow__engagement__client"),
        (SowItem, "version__sow__engagement__client"),
        (SowApproval, "version__sow__engagement__client"),
        (TaskSowLink, "task__engagement__client"),
    ],
)
