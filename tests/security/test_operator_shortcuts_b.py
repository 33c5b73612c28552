"""Issue 14, item 4: an operator (Django staff) without a break-glass grant is an outsider in vetting,
expert profiles, the audit log, organisation members and clearances; with a grant a client's admin
approved, they read that client like its auditor and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kpo.audit.services import audit
from kpo.confidentiality.services import expert_clearance_set
from kpo.core.errors import DomainError
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Membership
from kpo.vetting.models import VettingEvent, VettingPolicy, VettingRecord
from kpo.vetting.services.policy import vetting_policy_set
from tests.break_glass import approved_break_glass
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db


def _carol_in_screening(cast: Cast) -> VettingRecord:
    record = VettingRecord.objects.create(
        expert=cast.carol.expert_profile, state="screening", started_by=cast.pete
    )
    VettingEvent.objects.create(
        record=record,
        actor=cast.pete,
        action="start_screening",
        from_state="applied",
        to_state="screening",
        note=f"{SECRET_A} screening",
        at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    return record


def _vetting_doors(cast: Cast, client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile.pk
    doors = {
        "page": client.get(reverse("vetting_expert", kwargs={"vetting_expert_id": carol})),
        "queue": client.get(reverse("vetting_queue")),
        "api": client.get(f"/api/vetting/experts/{carol}"),
        "suspend": client.post(
            reverse("vetting_transition", kwargs={"vetting_expert_id": carol}),
            {"state": "rejected", "comment": "Leak", "expected_state": "screening"},
        ),
    }
    for name, response in doors.items():
        assert SECRET_A not in response.content.decode(), name
    return {name: response.status_code for name, response in doors.items()}


@pytest.mark.parametrize("granted", [False, True])
def test_vetting_is_closed_to_operators(cast: Cast, client_for, granted: bool) -> None:  # type: ignore[no-untyped-def]
    record = _carol_in_screening(cast)
    if granted:
        approved_break_glass(cast.ops, cast.org_a)
    ops = client_for("ops")
    assert _vetting_doors(cast, ops) == {"page": 404, "queue": 404, "api": 404, "suspend": 404}
    assert _vetting_doors(cast, ops) == _vetting_doors(cast, client_for("aud"))
    listed = ops.get("/api/vetting/records").json()
    assert listed["count"] == 0 and SECRET_A not in str(listed)
    with pytest.raises(DomainError):
        vetting_policy_set(
            user=cast.ops,
            organisation=cast.provider_p,
            reverification_months=1,
            trial_pass_score=Decimal("1.0"),
        )
    record.refresh_from_db()
    assert record.state == "screening"
    assert not VettingPolicy.objects.filter(organisation=cast.provider_p).exists()


def test_expert_profiles_need_a_grant(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    ivan = cast.ivan_profile.pk  # client A's internal staff: his biography names SECRET_A
    carol = cast.carol.expert_profile
    ExpertProfile.objects.filter(pk=carol.pk).update(cost_rate=Decimal("31.50"))
    ops = client_for("ops")
    for path in (reverse("expert_detail", kwargs={"expert_id": ivan}), f"/api/experts/{ivan}"):
        response = ops.get(path)
        assert response.status_code == 404 and SECRET_A not in response.content.decode(), path
    assert ops.get(f"/api/experts/{carol.pk}").status_code == 404
    for path in (reverse("expert_list"), "/api/experts"):
        body = ops.get(path).content.decode()
        assert SECRET_A not in body and "Insider" not in body, path

    approved_break_glass(cast.ops, cast.org_a)
    assert SECRET_A in ops.get(reverse("expert_detail", kwargs={"expert_id": ivan})).content.decode()
    as_operator = ops.get(f"/api/experts/{carol.pk}").json()
    assert as_operator == client_for("aud").get(f"/api/experts/{carol.pk}").json()
    assert as_operator["cost_rate"] is None


def test_the_audit_log_needs_a_grant(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    audit(cast.bob, "transition", ("task", cast.task_a.pk), cast.org_a, {"title": cast.task_a.title})
    audit(cast.dave, "download", ("task", cast.task_b.pk), cast.org_b, {"title": "Only-B marker"})
    ops = client_for("ops")
    for name in ("audit_log", "audit_export"):
        response = ops.get(reverse(name))
        assert response.status_code == 404, name
        assert SECRET_A not in response.content.decode() and "Only-B marker" not in response.content.decode()

    approved_break_glass(cast.ops, cast.org_a)
    body = ops.get(reverse("audit_log")).content.decode()
    assert SECRET_A in body and "Only-B marker" not in body


def test_organisation_members_need_a_grant_and_stay_read_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    ops = client_for("ops")
    page = ops.get(reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk}))
    body = page.content.decode()
    assert (
        page.status_code == 200 and cast.org_a.name in body
    )  # the name and profile: platform administration
    assert "bob@example.com" not in body and "Invite someone" not in body
    assert reverse("break_glass", kwargs={"organisation_id": cast.org_a.pk}) in body
    assert ops.get(f"/api/organisations/{cast.org_a.pk}/members").status_code == 404
    member = reverse("member_edit", kwargs={"organisation_id": cast.org_a.pk, "member_id": cast.bob.pk})
    assert ops.get(member).status_code == 404

    approved_break_glass(cast.ops, cast.org_a)
    body = ops.get(reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})).content.decode()
    assert "bob@example.com" in body and "Invite someone" not in body
    members = ops.get(f"/api/organisations/{cast.org_a.pk}/members").json()
    assert "bob" in str(members)
    assert ops.post(member, {"roles": ["client_admin"]}).status_code == 403
    assert set(
        Membership.objects.filter(user=cast.bob, organisation=cast.org_a).values_list("role", flat=True)
    ) == {"requester"}
    other = ops.get(
        reverse("organisation_detail", kwargs={"organisation_id": cast.org_b.pk})
    ).content.decode()
    assert "dave@example.com" not in other


@pytest.mark.parametrize("granted", [False, True])
def test_operators_do_not_change_clearances(cast: Cast, client_for, granted: bool) -> None:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile
    before = carol.clearance
    if granted:
        approved_break_glass(cast.ops, cast.org_a)
    response = client_for("ops").post(
        reverse("expert_clearance", kwargs={"expert_id": carol.pk}), {"clearance": "restricted"}
    )
    assert response.status_code == (302 if granted else 404)  # with a grant: back to the profile, refused
    with pytest.raises(DomainError):
        expert_clearance_set(user=cast.ops, expert=carol, clearance="restricted")
    carol.refresh_from_db()
    assert carol.clearance == before
    if granted:
        page = (
            client_for("ops").get(reverse("expert_detail", kwargs={"expert_id": carol.pk})).content.decode()
        )
        assert reverse("expert_clearance", kwargs={"expert_id": carol.pk}) not in page
