"""Issue 14, item 4: operators (Django staff) hold no standing access to commercials, disputes,
staffing runs, compliance records or a client's matching settings. Without a break-glass grant they
get what an outsider gets; with one they read as the client's auditor and change nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kpo.compliance.models import Competitor
from kpo.core.errors import DomainError
from kpo.economics.models import Milestone
from kpo.engine.matching import COMPONENTS
from kpo.matching.access import access_task_for_matching
from kpo.matching.models import MatchingWeights
from kpo.matching.services import matching_weights_update
from kpo.sla.models import Dispute, DisputeStatus
from kpo.staffing.models import StaffingRun
from tests.api.conftest import Call, call, token_for  # noqa: F401  (the API fixtures)
from tests.break_glass import approved_break_glass
from tests.cast import SECRET_A, Cast
from tests.matrix import commercials, compliance, sla

pytestmark = pytest.mark.django_db

COST = ("47.13", "47,13")


def _refused(response: Any, *statuses: int) -> None:
    assert response.status_code in (statuses or (404,))
    assert SECRET_A not in response.content.decode()


def _shown(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


# --- commercials --------------------------------------------------------------------------------------


@pytest.fixture
def money(cast: Cast) -> dict[str, Any]:
    return commercials.PART.objects(cast)


def test_an_operator_without_a_grant_sees_no_money(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    money: dict[str, Any],
) -> None:
    ops = client_for("ops")
    _refused(ops.get(reverse("invoice_detail", kwargs={"invoice_id": money["invoice_id"]})))
    _refused(ops.get(reverse("invoice_csv", kwargs={"invoice_id": money["invoice_id"]})))
    _refused(call("GET", f"/api/invoices/{money['invoice_id']}", "ops"))
    rate_cards = _shown(ops.get(reverse("rate_cards")))
    assert SECRET_A not in rate_cards and not any(cost in rate_cards for cost in COST)
    listed = call("GET", "/api/rate-cards", "ops")
    assert listed.status_code == 200 and listed.json()["items"] == []
    _refused(ops.post(reverse("rate_card_line_end", kwargs={"rate_line_id": money["rate_line_id"]})))


def test_an_operator_with_a_grant_reads_the_money_as_the_clients_auditor(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    money: dict[str, Any],
) -> None:
    approved_break_glass(cast.ops, cast.org_a)
    ops = client_for("ops")
    assert SECRET_A in _shown(ops.get(reverse("invoice_detail", kwargs={"invoice_id": money["invoice_id"]})))
    assert call("GET", f"/api/invoices/{money['invoice_id']}", "ops").status_code == 200
    rate_cards = _shown(ops.get(reverse("rate_cards")))
    assert not any(cost in rate_cards for cost in COST)  # the provider's margin stays the provider's
    reach = ops.post(reverse("milestone_reach", kwargs={"milestone_id": money["milestone_id"]}))
    assert reach.status_code == 403
    assert Milestone.objects.get(pk=money["milestone_id"]).reached_at is None
    issue = call(
        "POST",
        f"/api/engagements/{cast.engagement_a.pk}/invoices",
        "ops",
        json={"period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert issue.status_code == 403


# --- disputes -------------------------------------------------------------------------------------------


@pytest.fixture
def dispute(cast: Cast) -> Dispute:
    return Dispute.objects.get(pk=sla.objects(cast)["dispute_id"])


def test_an_operator_sees_no_dispute_nobody_asked_them_to_mediate(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    dispute: Dispute,
) -> None:
    ops = client_for("ops")
    _refused(ops.get(reverse("dispute_detail", kwargs={"dispute_id": dispute.pk})))
    evidence = dispute.evidence.get()
    _refused(
        ops.get(
            reverse(
                "dispute_evidence_download",
                kwargs={"dispute_id": dispute.pk, "dispute_evidence_id": evidence.pk},
            )
        )
    )
    assert SECRET_A not in _shown(ops.get(reverse("dispute_list")))
    assert cast.task_a.title not in _shown(ops.get(reverse("dispute_list")))
    _refused(call("GET", f"/api/disputes/{dispute.pk}", "ops"))
    listed = call("GET", "/api/disputes", "ops")
    assert listed.status_code == 200 and listed.json()["items"] == []


def test_an_operator_mediates_a_dispute_once_a_side_asks(
    cast: Cast,
    client_for: Any,
    dispute: Dispute,
) -> None:
    Dispute.objects.filter(pk=dispute.pk).update(
        status=DisputeStatus.MEDIATION,
        mediation_requested_by=cast.bob,
        mediation_requested_at=timezone.now(),
        mediation_due_at=timezone.now(),
    )
    ops = client_for("ops")
    assert SECRET_A in _shown(ops.get(reverse("dispute_detail", kwargs={"dispute_id": dispute.pk})))
    _refused(ops.get(reverse("sla_report", kwargs={"engagement_id": cast.engagement_a.pk})))


def test_an_operator_with_a_grant_reads_disputes_and_the_sla_report_but_acts_on_neither(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    dispute: Dispute,
) -> None:
    approved_break_glass(cast.ops, cast.org_a)
    ops = client_for("ops")
    assert SECRET_A in _shown(ops.get(reverse("dispute_detail", kwargs={"dispute_id": dispute.pk})))
    _shown(ops.get(reverse("sla_report", kwargs={"engagement_id": cast.engagement_a.pk})))
    assert (
        call(
            "PATCH", f"/api/engagements/{cast.engagement_a.pk}/sla", "ops", json={"response_hours": 1}
        ).status_code
        == 403
    )
    answer = call("POST", f"/api/disputes/{dispute.pk}/mediation", "ops", json={"note": "Push it."})
    assert answer.status_code == 403
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.OPENED


# --- staffing runs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("granted", [False, True])
def test_an_operator_sees_no_staffing_run(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    granted: bool,
) -> None:
    if granted:
        approved_break_glass(cast.ops, cast.org_a)
    run = StaffingRun.objects.create(
        provider=cast.provider_p, created_by=cast.pete, task_ids=[cast.draft_a.pk], status="done"
    )
    _refused(client_for("ops").get(reverse("staffing_run_detail", kwargs={"run_id": run.pk})))
    _refused(call("GET", f"/api/staffing-runs/{run.pk}", "ops"))
    commit = call("POST", f"/api/staffing-runs/{run.pk}/commit", "ops", json={"lines": []})
    assert commit.status_code == 404


# --- compliance ---------------------------------------------------------------------------------------


def test_an_operator_without_a_grant_sees_no_compliance_records(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
) -> None:
    ids = compliance.objects(cast)
    _refused(client_for("ops").get(reverse("compliance_settings", kwargs={"organisation_id": cast.org_a.pk})))
    _refused(call("GET", f"/api/organisations/{cast.org_a.pk}/competitors", "ops"))
    _refused(call("GET", f"/api/organisations/{cast.org_a.pk}/compliance-policy", "ops"))
    _refused(call("DELETE", f"/api/competitors/{ids['competitor_id']}", "ops"))
    assert Competitor.objects.filter(pk=ids["competitor_id"]).exists()


def test_an_operator_with_a_grant_reads_compliance_records_and_changes_none(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
) -> None:
    ids = compliance.objects(cast)
    approved_break_glass(cast.ops, cast.org_a)
    ops = client_for("ops")
    assert SECRET_A in _shown(
        ops.get(reverse("compliance_settings", kwargs={"organisation_id": cast.org_a.pk}))
    )
    listed = call("GET", f"/api/organisations/{cast.org_a.pk}/competitors", "ops")
    assert listed.status_code == 200 and SECRET_A in listed.content.decode()
    added = call("POST", f"/api/organisations/{cast.org_a.pk}/competitors", "ops", json={"name": "Leak"})
    assert added.status_code == 403
    assert call("DELETE", f"/api/competitors/{ids['competitor_id']}", "ops").status_code == 403
    assert Competitor.objects.filter(client=cast.org_a).count() == 1


# --- matching -----------------------------------------------------------------------------------------

WEIGHTS = dict.fromkeys(COMPONENTS, 1.0)


def test_an_operator_without_a_grant_neither_reads_nor_sets_a_clients_weights(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
) -> None:
    _refused(call("GET", f"/api/organisations/{cast.org_a.pk}/matching-weights", "ops"), 403, 404)
    page = client_for("ops").post(
        reverse("matching_weights", kwargs={"organisation_id": cast.org_a.pk}),
        {**{name: "1" for name in COMPONENTS}, "min_skills_share": "0.5"},
    )
    assert page.status_code in (403, 404)
    with pytest.raises(DomainError):
        matching_weights_update(
            user=cast.ops, client=cast.org_a, weights=WEIGHTS, min_skills_share=Decimal("0.5")
        )
    assert not MatchingWeights.objects.exists()


def test_an_operator_with_a_grant_reads_a_clients_weights_and_sets_none(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
) -> None:
    approved_break_glass(cast.ops, cast.org_a)
    assert call("GET", f"/api/organisations/{cast.org_a.pk}/matching-weights", "ops").status_code == 200
    page = client_for("ops").post(
        reverse("matching_weights", kwargs={"organisation_id": cast.org_a.pk}),
        {**{name: "1" for name in COMPONENTS}, "min_skills_share": "0.5"},
    )
    assert page.status_code == 403
    assert (
        client_for("ops").get(reverse("find_experts", kwargs={"task_id": cast.task_a.pk})).status_code == 403
    )
    assert not MatchingWeights.objects.exists()


def test_staff_status_does_not_show_a_provider_manager_the_clients_own_staff(cast: Cast) -> None:
    cast.pete.is_staff = True
    cast.pete.save(update_fields=["is_staff"])
    assert access_task_for_matching(cast.pete, cast.task_a.pk).sees_client_staff is False
