"""The dispute flow: each step, who may take it, deadlines in business days, bad input, evidence."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.sla.models import Dispute, DisputeEvidence
from kpo.sla.services.disputes import (
    dispute_add_evidence,
    dispute_agree,
    dispute_open,
    dispute_request_mediation,
    dispute_resolve,
    dispute_respond,
)
from kpo.work.models import Task
from kpo.work.services import Upload
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
MONDAY = dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC)  # 10:00 IST at provider P (India)


@pytest.fixture
def delivered(cast: Cast) -> Task:
    Task.objects.filter(pk=cast.task_a.pk).update(status="delivered")
    cast.task_a.refresh_from_db()
    return cast.task_a


def _file(content: bytes = b"The totals in table 3 are off by 12 %.\n", name: str = "note.txt") -> Upload:
    return Upload(stream=io.BytesIO(content), name=name)


def test_opening_sets_the_answer_deadline_in_business_days(cast: Cast, delivered: Task) -> None:
    dispute = dispute_open(
        user=cast.bob, task=delivered, reason="Table 3 is wrong.", evidence=_file(), now=MONDAY
    )
    # Mon 23 Nov 10:00 IST + 3 business days (24 h): Mon 7 h; Tue 24 Nov Guru Nanak's Birthday;
    # Wed 8 h, Thu 8 h (23); Fri 27 Nov 09:00 + 1 h = 10:00 IST = 04:30 UTC.
    assert dispute.response_due_at == dt.datetime(2026, 11, 27, 4, 30, tzinfo=dt.UTC)
    evidence = DisputeEvidence.objects.get(dispute=dispute)
    assert evidence.content_type == "text/plain" and len(evidence.sha256) == 64
    assert AuditEntry.objects.filter(event="dispute_opened", object_id=str(dispute.pk)).exists()
    assert cast.pete.notices.filter(kind="dispute_opened").exists()


def test_only_a_delivered_task_by_the_client_once(cast: Cast, delivered: Task) -> None:
    for who in (cast.pete, cast.aud, cast.carol):
        with pytest.raises(DomainError):
            dispute_open(user=who, task=delivered, reason="x", now=MONDAY)
    with pytest.raises(ValidationError) as error:
        dispute_open(user=cast.bob, task=delivered, reason="   ", now=MONDAY)
    assert "reason" in error.value.message_dict
    dispute_open(user=cast.bob, task=delivered, reason="Wrong", now=MONDAY)
    with pytest.raises(DomainError, match="already has an open dispute"):
        dispute_open(user=cast.alice, task=delivered, reason="Again", now=MONDAY)
    with pytest.raises(DomainError, match="delivered") as refused:
        dispute_open(user=cast.bob, task=cast.draft_a, reason="Draft", now=MONDAY)
    assert refused.value.field == "status"


def test_a_bad_evidence_file_changes_nothing(cast: Cast, delivered: Task) -> None:
    with pytest.raises(DomainError) as error:
        dispute_open(
            user=cast.bob,
            task=delivered,
            reason="Wrong",
            evidence=_file(b"MZ\x90\x00binary", "x.exe"),
            now=MONDAY,
        )
    assert error.value.field == "evidence"
    assert not Dispute.objects.exists() and not DisputeEvidence.objects.exists()


def test_respond_then_agree_to_partial_credit(cast: Cast, delivered: Task) -> None:
    dispute = dispute_open(user=cast.bob, task=delivered, reason="Wrong", now=MONDAY)
    with pytest.raises(DomainError):
        dispute_respond(user=cast.bob, dispute=dispute, response="x", proposed_outcome="accept")
    with pytest.raises(ValidationError) as error:
        dispute_respond(user=cast.pete, dispute=dispute, response="Sorry", proposed_outcome="partial_credit")
    assert "proposed_credit_percent" in error.value.message_dict  # neither a percentage nor an amount
    with pytest.raises(ValidationError):
        dispute_respond(
            user=cast.pete,
            dispute=dispute,
            response="Sorry",
            proposed_outcome="partial_credit",
            credit_percent=Decimal(10),
            credit_amount=Decimal(100),
        )
    with pytest.raises(ValidationError):
        dispute_respond(
            user=cast.pete,
            dispute=dispute,
            response="Sorry",
            proposed_outcome="redo",
            credit_percent=Decimal(5),
        )
    dispute = dispute_respond(
        user=cast.pete,
        dispute=dispute,
        response="Table 3 used last year's rates.",
        proposed_outcome="partial_credit",
        credit_amount=Decimal("1500.00"),
        now=MONDAY + dt.timedelta(hours=2),
    )
    assert dispute.status == "responded"
    with pytest.raises(DomainError, match="already responded"):
        dispute_respond(user=cast.pete, dispute=dispute, response="Again", proposed_outcome="accept")
    with pytest.raises(DomainError):
        dispute_agree(user=cast.pete, dispute=dispute)
    dispute = dispute_agree(user=cast.bob, dispute=dispute, note="Fine.")
    assert (dispute.status, dispute.outcome, dispute.credit_amount, dispute.currency) == (
        "resolved",
        "partial_credit",
        Decimal("1500.00"),
        "DKK",  # the engagement's currency
    )
    events = list(
        AuditEntry.objects.filter(object_type="dispute").order_by("seq").values_list("event", flat=True)
    )
    assert events == ["dispute_opened", "dispute_step", "dispute_resolved"]


def test_agreeing_to_a_redo_sends_the_task_back(cast: Cast, delivered: Task) -> None:
    dispute = dispute_open(user=cast.bob, task=delivered, reason="Wrong", now=MONDAY)
    dispute_respond(user=cast.pete, dispute=dispute, response="We will redo it.", proposed_outcome="redo")
    dispute = dispute_agree(user=cast.bob, dispute=dispute)
    delivered.refresh_from_db()
    assert dispute.redo_applied and delivered.status == "changes_requested"
    assert delivered.transitions.filter(to_status="changes_requested").exists()


def test_mediation_after_a_missed_deadline_then_operator_resolves(cast: Cast, delivered: Task) -> None:
    dispute = dispute_open(user=cast.bob, task=delivered, reason="Wrong", now=MONDAY)
    with pytest.raises(DomainError, match="deadline"):
        dispute_request_mediation(user=cast.bob, dispute=dispute, now=MONDAY + dt.timedelta(days=1))
    with pytest.raises(DomainError):  # the provider cannot skip its own answer
        dispute_request_mediation(user=cast.pete, dispute=dispute, now=MONDAY + dt.timedelta(days=9))
    late = dt.datetime(2026, 11, 27, 4, 30, tzinfo=dt.UTC)  # the answer was due then
    dispute = dispute_request_mediation(user=cast.bob, dispute=dispute, note="No answer.", now=late)
    # mediation: Fri 27 Nov 10:00 IST + 5 business days (40 h): Fri 7 h; Mon-Thu 32 h (39);
    # Fri 4 Dec 09:00 + 1 h = 10:00 IST = 04:30 UTC
    assert dispute.status == "mediation"
    assert dispute.mediation_due_at == dt.datetime(2026, 12, 4, 4, 30, tzinfo=dt.UTC)
    with pytest.raises(DomainError):
        dispute_resolve(user=cast.alice, dispute=dispute, outcome="accept", note="Mine")
    with pytest.raises(ValidationError) as error:
        dispute_resolve(
            user=cast.ops, dispute=dispute, outcome="partial_credit", note="x", credit_percent=Decimal(0)
        )
    assert "credit_percent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        dispute_resolve(user=cast.ops, dispute=dispute, outcome="refund", note="x")
    assert "outcome" in error.value.message_dict
    dispute = dispute_resolve(
        user=cast.ops, dispute=dispute, outcome="partial_credit", credit_percent=Decimal("25"), note="Split."
    )
    assert (dispute.status, dispute.credit_percent, dispute.currency) == ("resolved", Decimal(25), "")
    delivered.refresh_from_db()
    assert delivered.status == "delivered"
    with pytest.raises(DomainError):
        dispute_add_evidence(user=cast.bob, dispute=dispute, upload=_file())


def test_operator_redo_is_recorded_for_the_provider(cast: Cast, delivered: Task) -> None:
    dispute = dispute_open(user=cast.bob, task=delivered, reason="Wrong", now=MONDAY)
    dispute_respond(user=cast.pete, dispute=dispute, response="It is right.", proposed_outcome="accept")
    dispute = dispute_request_mediation(user=cast.pete, dispute=dispute)
    dispute = dispute_resolve(user=cast.ops, dispute=dispute, outcome="redo", note="Redo table 3.")
    delivered.refresh_from_db()
    assert not dispute.redo_applied and delivered.status == "delivered"
    assert cast.pete.notices.filter(kind="dispute_resolved", text__contains="redo").exists()


# --- pages ------------------------------------------------------------------------------------------


def test_pages_walk_the_flow_and_refuse_the_wrong_actor(cast: Cast, delivered: Task, client_for) -> None:  # type: ignore[no-untyped-def]
    bob, pete, ops, carol = client_for("bob"), client_for("pete"), client_for("ops"), client_for("carol")
    task_page = bob.get(reverse("task_detail", kwargs={"task_id": delivered.pk})).content.decode()
    assert "Open a dispute" in task_page
    assert (
        "Open a dispute"
        not in pete.get(reverse("task_detail", kwargs={"task_id": delivered.pk})).content.decode()
    )
    url = reverse("dispute_create", kwargs={"task_id": delivered.pk})
    assert bob.post(url, {"reason": ""}).status_code == 400
    evidence = io.BytesIO(b"notes")
    evidence.name = "notes.txt"
    response = bob.post(url, {"reason": "Table 3 is wrong.", "evidence": evidence})
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    detail = reverse("dispute_detail", kwargs={"dispute_id": dispute.pk})
    assert carol.get(detail).status_code == 404  # the provider's experts do not see disputes
    assert client_for("dave").get(detail).status_code == 404
    assert bob.post(reverse("dispute_respond", kwargs={"dispute_id": dispute.pk}), {}).status_code == 403
    bad = pete.post(
        reverse("dispute_respond", kwargs={"dispute_id": dispute.pk}),
        {"response": "Ok", "proposed_outcome": "partial_credit"},
    )
    assert bad.status_code == 400 and "percentage or as an amount" in bad.content.decode()
    assert Dispute.objects.get().status == "opened"
    pete.post(
        reverse("dispute_respond", kwargs={"dispute_id": dispute.pk}),
        {"response": "We checked.", "proposed_outcome": "accept"},
    )
    assert ops.get(detail).status_code == 404  # operators see a dispute once a side asks them to mediate
    assert ops.post(reverse("dispute_resolve", kwargs={"dispute_id": dispute.pk}), {}).status_code == 404
    bob.post(reverse("dispute_mediation", kwargs={"dispute_id": dispute.pk}), {"note": "Disagree."})
    assert Dispute.objects.get().status == "mediation"
    assert "1 dispute waits for mediation" in ops.get(reverse("dashboard")).content.decode()
    assert ops.post(reverse("dispute_resolve", kwargs={"dispute_id": dispute.pk}), {}).status_code == 400
    ops.post(
        reverse("dispute_resolve", kwargs={"dispute_id": dispute.pk}),
        {"outcome": "partial_credit", "credit_percent": "10", "note": "Ten percent."},
    )
    page = bob.get(detail).content.decode()
    assert "Partial credit" in page and "Ten percent." in page
    item = DisputeEvidence.objects.get()
    download = bob.get(
        reverse(
            "dispute_evidence_download", kwargs={"dispute_id": dispute.pk, "dispute_evidence_id": item.pk}
        )
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"notes"  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(event="download", object_type="dispute_evidence").exists()
    listing = ops.get(reverse("dispute_list") + "?status=resolved").content.decode()
    assert delivered.title in listing
    assert delivered.title not in client_for("dave").get(reverse("dispute_list")).content.decode()


def test_api_flow(cast: Cast, delivered: Task) -> None:
    from kpo.orgs.services import api_token_create

    def bearer(user):  # type: ignore[no-untyped-def]
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    client = Client()
    opened = client.post(f"/api/tasks/{delivered.pk}/disputes", {"reason": "Wrong"}, **bearer(cast.bob))
    assert opened.status_code == 201, opened.content
    dispute_id = opened.json()["id"]
    assert opened.json()["status"] == "opened"
    refused = client.post(
        f"/api/disputes/{dispute_id}/response",
        {"response": "x", "proposed_outcome": "partial_credit", "credit_percent": "150"},
        content_type="application/json",
        **bearer(cast.pete),
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "credit_percent"
    answered = client.post(
        f"/api/disputes/{dispute_id}/response",
        {"response": "We checked.", "proposed_outcome": "partial_credit", "credit_percent": "12.5"},
        content_type="application/json",
        **bearer(cast.pete),
    )
    assert answered.status_code == 200 and answered.json()["proposed_credit_percent"] == "12.50"
    wrong = client.post(
        f"/api/disputes/{dispute_id}/agreement", {}, content_type="application/json", **bearer(cast.pete)
    )
    assert wrong.status_code == 403
    agreed = client.post(
        f"/api/disputes/{dispute_id}/agreement",
        {"note": "ok"},
        content_type="application/json",
        **bearer(cast.bob),
    )
    assert agreed.status_code == 200 and agreed.json()["outcome"] == "partial_credit"
    listed = client.get("/api/disputes?status=resolved", **bearer(cast.alice)).json()
    assert listed["count"] == 1
    assert client.get("/api/disputes", **bearer(cast.dave)).json()["count"] == 0
