"""Statements of work: drafting, proposing, counter-proposals, signatures of both sides, change requests,
links, and the refusals (bad values, the wrong side, stale content, signing twice)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kpo.audit.models import AuditEntry
from kpo.contracts import services
from kpo.contracts.models import SowApproval, SowStatus, SowVersion, StatementOfWork, TaskSowLink
from kpo.core.errors import DomainError
from kpo.economics.models import Milestone
from kpo.engine import sow as engine
from tests.cast import Cast

pytestmark = pytest.mark.django_db

TERMS: dict[str, Any] = {
    "scope": "Measure the gearbox line's efficiency.",
    "deliverables": "A report and a data set.",
    "items": "D1: Efficiency report\nD2: Cleaned data set",
    "acceptance_criteria": "The client's engineers accept the report within ten days.",
    "milestones": "Report by 1 March.",
    "assumptions": "Line data is available.",
    "change_procedure": "Either side requests a change in writing; both sides approve it.",
}


def draft(cast: Cast, **changes: str) -> SowVersion:
    return services.sow_draft(user=cast.alice, engagement=cast.engagement_a, data={**TERMS, **changes})


def approve(cast: Cast, version: SowVersion, who: str, name: str) -> SowApproval:
    return services.sow_approve(
        user=getattr(cast, who), version=version, typed_name=name, content_sha256=version.content_sha256
    )


def approved(cast: Cast) -> SowVersion:
    version = services.sow_propose(user=cast.alice, version=draft(cast))
    approve(cast, version, "pete", "Pete Manager")
    approve(cast, version, "alice", "Alice Admin")
    version.refresh_from_db()
    return version


def test_drafted_proposed_and_approved_by_both_sides_on_the_same_content(cast: Cast) -> None:
    version = draft(cast)
    assert (version.number, version.status, version.held_by) == (1, "draft", "client")
    assert [i.code for i in version.items.all()] == ["D1", "D2"]
    assert version.content_sha256 == engine.content_sha256(services.content_of(version))
    services.sow_propose(user=cast.bob, version=version)
    approve(cast, version, "pete", "pete  MANAGER")
    version.refresh_from_db()
    assert version.status == SowStatus.PROPOSED
    approve(cast, version, "alice", "Alice Admin")
    version.refresh_from_db()
    assert version.status == SowStatus.APPROVED and version.approved_at is not None
    events = list(AuditEntry.objects.filter(object_type="sow_version").values_list("event", flat=True))
    assert events.count("sow_signed") == 2 and "sow_proposed" in events and "sow_approved" in events


def test_bad_values_name_the_field_and_change_nothing(cast: Cast) -> None:
    cases = {
        "scope": {"scope": "  "},
        "acceptance_criteria": {"acceptance_criteria": ""},
        "change_procedure": {"change_procedure": ""},
        "deliverables": {"deliverables": "x" * (engine.MAX_SECTION + 1)},
        "assumptions": {"assumptions": "bad\x00byte"},
    }
    for field, change in cases.items():
        with pytest.raises(ValidationError) as error:
            draft(cast, **change)
        assert field in error.value.message_dict
    for items, words in (
        ("no colon here", "Line 1"),
        ("D1: One\nD1: Again", "used twice"),
        ("D 1: Space", "letters, digits"),
        ("D1:", "no title"),
        ("ABCDEFGHIJKLMN: Long", "longer than 12"),
    ):
        with pytest.raises(ValidationError) as error:
            draft(cast, items=items)
        assert words in error.value.message_dict["items"][0]
    assert not StatementOfWork.objects.exists()


def test_only_the_client_drafts_and_only_once(cast: Cast) -> None:
    for who in ("pete", "aud", "carol", "dave"):
        with pytest.raises(DomainError):
            services.sow_draft(user=getattr(cast, who), engagement=cast.engagement_a, data=TERMS)
    draft(cast)
    with pytest.raises(DomainError, match="already has"):
        draft(cast)


def test_the_other_side_neither_edits_nor_proposes_a_draft(cast: Cast) -> None:
    version = draft(cast)
    with pytest.raises(DomainError, match="other side"):
        services.sow_version_save(user=cast.pete, version=version, data=TERMS)
    with pytest.raises(DomainError, match="other side"):
        services.sow_propose(user=cast.pete, version=version)
    with pytest.raises(DomainError):
        services.sow_propose(user=cast.aud, version=version)


def test_a_draft_is_edited_in_place_and_cannot_be_signed(cast: Cast) -> None:
    version = draft(cast)
    before = version.content_sha256
    saved = services.sow_version_save(user=cast.alice, version=version, data={**TERMS, "scope": "Bigger."})
    assert saved.pk == version.pk and saved.content_sha256 != before
    with pytest.raises(DomainError, match="Only a proposed"):
        approve(cast, saved, "pete", "Pete Manager")


def test_a_counter_proposal_makes_a_new_version_and_voids_signatures(cast: Cast) -> None:
    version = services.sow_propose(user=cast.alice, version=draft(cast))
    approve(cast, version, "alice", "Alice Admin")
    counter = services.sow_version_save(user=cast.pete, version=version, data={**TERMS, "scope": "Smaller."})
    version.refresh_from_db()
    assert version.status == SowStatus.SUPERSEDED
    assert (counter.number, counter.status, counter.held_by) == (2, "draft", "provider")
    services.sow_propose(user=cast.pete, version=counter)
    with pytest.raises(DomainError, match="Only a proposed"):
        approve(cast, version, "pete", "Pete Manager")  # the old proposal
    approve(cast, counter, "pete", "Pete Manager")
    counter.refresh_from_db()
    assert counter.status == SowStatus.PROPOSED  # the client has not signed this content
    approve(cast, counter, "alice", "Alice Admin")
    counter.refresh_from_db()
    assert counter.status == SowStatus.APPROVED


def test_wrong_name_stale_content_and_double_signature_are_refused(cast: Cast) -> None:
    version = services.sow_propose(user=cast.alice, version=draft(cast))
    with pytest.raises(ValidationError) as error:
        approve(cast, version, "pete", "Someone Else")
    assert "typed_name" in error.value.message_dict
    with pytest.raises(DomainError, match="changed since") as stale:
        services.sow_approve(
            user=cast.pete, version=version, typed_name="Pete Manager", content_sha256="0" * 64
        )
    assert stale.value.field == "content_sha256"
    approve(cast, version, "pete", "Pete Manager")
    with pytest.raises(DomainError, match="already signed"):
        approve(cast, version, "pete", "Pete Manager")
    for who in ("aud", "carol", "rex", "dave", "quinn"):
        with pytest.raises(DomainError):
            approve(cast, version, who, getattr(cast, who).get_full_name())
    assert SowApproval.objects.count() == 1


def test_a_change_request_keeps_the_approved_version_in_force_until_the_new_one_is_approved(
    cast: Cast,
) -> None:
    first = approved(cast)
    with pytest.raises(ValidationError):
        services.sow_change_request(user=cast.pete, engagement=cast.engagement_a, reason=" ")
    change = services.sow_change_request(user=cast.pete, engagement=cast.engagement_a, reason="Add a D3.")
    assert (change.number, change.status, change.held_by, change.change_reason) == (
        2,
        "draft",
        "provider",
        "Add a D3.",
    )
    assert change.content_sha256 == first.content_sha256
    with pytest.raises(DomainError, match="already being negotiated"):
        services.sow_change_request(user=cast.alice, engagement=cast.engagement_a, reason="More.")
    change = services.sow_version_save(
        user=cast.pete, version=change, data={**TERMS, "items": TERMS["items"] + "\nD3: Training"}
    )
    services.sow_propose(user=cast.pete, version=change)
    first.refresh_from_db()
    assert first.status == SowStatus.APPROVED
    approve(cast, change, "alice", "Alice Admin")
    approve(cast, change, "pete", "Pete Manager")
    first.refresh_from_db()
    change.refresh_from_db()
    assert (first.status, change.status) == (SowStatus.SUPERSEDED, SowStatus.APPROVED)
    assert AuditEntry.objects.filter(event="sow_change_requested").count() == 1


def test_tasks_and_milestones_link_to_items_of_the_approved_sow(cast: Cast) -> None:
    with pytest.raises(DomainError, match="once the statement"):
        services.task_link(user=cast.alice, task=cast.task_a, code="D1")
    approved(cast)
    with pytest.raises(ValidationError) as error:
        services.task_link(user=cast.pete, task=cast.task_a, code="D9")
    assert "code" in error.value.message_dict
    services.task_link(user=cast.pete, task=cast.task_a, code="d1")
    assert TaskSowLink.objects.get(task=cast.task_a).code == "D1"
    with pytest.raises(DomainError):
        services.task_link(user=cast.carol, task=cast.task_a, code="D2")
    milestone = Milestone.objects.create(
        engagement=cast.engagement_a, title="Report", amount=Decimal(100), created_by=cast.alice
    )
    with pytest.raises(DomainError):
        services.milestone_link(user=cast.pete, milestone=milestone, code="D1")
    services.milestone_link(user=cast.alice, milestone=milestone, code="D2")
    services.task_link(user=cast.alice, task=cast.task_a, code=None)
    assert not TaskSowLink.objects.exists()
    assert AuditEntry.objects.filter(event="sow_item_linked").count() == 3
