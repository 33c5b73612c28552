"""Every vetting transition through the services: the right actor, the preconditions, the status sync."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.engine.passport import add_months
from kpo.experts.models import ExpertProfile
from kpo.notices.models import Notice
from kpo.vetting.models import VettingEvent, VettingRecord
from kpo.vetting.services.passport import terms_sign
from kpo.vetting.services.pipeline import vetting_start, vetting_transition
from kpo.vetting.services.policy import vetting_policy_set
from kpo.vetting.services.status import vetting_lapse_sync
from tests.cast import Cast
from tests.vetting.helpers import add_degree, take_to, today, verify

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

PIPELINE = ["applied", "screening", "credentials_verified", "trial_scored", "active", "suspended"]


def _status(expert: ExpertProfile) -> str:
    return ExpertProfile.objects.get(pk=expert.pk).status


def _move(cast: Cast, who: str, target: str, **kwargs: object) -> VettingRecord:
    carol = cast.carol.expert_profile
    return vetting_transition(user=cast.users()[who], expert=carol, target=target, **kwargs)  # type: ignore[arg-type]


def test_the_whole_pipeline_with_history_audit_and_status(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    assert _status(carol) == "active"  # onboarded directly, no record
    record = vetting_start(user=cast.carol, expert=carol, note="Please vet me")
    assert record.state == "applied" and _status(carol) == "inactive"
    terms_sign(user=cast.carol, expert=carol)
    assert _move(cast, "pete", "screening").state == "screening"
    verify(add_degree(carol, cast.carol), cast.pete)
    assert _move(cast, "pete", "credentials_verified").state == "credentials_verified"
    assert _move(cast, "pete", "trial_scored", trial_score="4.5").trial_score == Decimal("4.50")
    assert _status(carol) == "inactive"
    assert _move(cast, "pete", "active").state == "active"
    assert _status(carol) == "active"
    assert _move(cast, "pete", "suspended", comment="Missed two deadlines").state == "suspended"
    assert _status(carol) == "inactive"
    assert _move(cast, "pete", "active", comment="Cleared up").state == "active"
    assert _status(carol) == "active"
    history = list(
        VettingEvent.objects.filter(record__expert=carol).values_list("action", "from_state", "to_state")
    )
    assert history == [
        ("apply", "", "applied"),
        ("start_screening", "applied", "screening"),
        ("verify_credentials", "screening", "credentials_verified"),
        ("score_trial", "credentials_verified", "trial_scored"),
        ("activate", "trial_scored", "active"),
        ("suspend", "active", "suspended"),
        ("reinstate", "suspended", "active"),
    ]
    suspend = VettingEvent.objects.get(record__expert=carol, action="suspend")
    assert suspend.actor == cast.pete and suspend.note == "Missed two deadlines"
    audited = list(
        AuditEntry.objects.filter(event="vetting_changed", object_id=str(carol.pk)).values_list(
            "details", flat=True
        )
    )
    assert [d["action"] for d in audited if "to_state" in d][-2:] == ["suspend", "reinstate"]
    assert AuditEntry.objects.filter(event="credential_verified").count() == 1


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("applied", "screening"),
        ("screening", "credentials_verified"),
        ("credentials_verified", "trial_scored"),
        ("trial_scored", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
    ],
)
def test_the_expert_cannot_move_their_own_vetting_forward(cast: Cast, state: str, target: str) -> None:
    record = take_to(cast.carol.expert_profile, state, manager=cast.pete)
    with pytest.raises(DomainError) as error:
        _move(cast, "carol", target, comment="me", trial_score="5")
    assert error.value.field == "state" and "Your role does not allow" in error.value.message
    assert VettingRecord.objects.get(pk=record.pk).state == state


@pytest.mark.parametrize("who", ["quinn", "alice", "rex", "erin"])
def test_nobody_else_moves_the_vetting(cast: Cast, who: str) -> None:
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    terms_sign(user=cast.carol, expert=cast.carol.expert_profile)
    with pytest.raises(DomainError):
        _move(cast, who, "screening")
    assert VettingRecord.objects.get(expert=cast.carol.expert_profile).state == "applied"


def test_screening_needs_the_signed_terms(cast: Cast) -> None:
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "screening")
    assert error.value.field == "platform_terms_signed_on"
    assert VettingRecord.objects.get(expert=cast.carol.expert_profile).state == "applied"


def test_credentials_verified_needs_a_verified_unexpired_degree_or_licence(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    vetting_start(user=cast.pete, expert=carol)
    terms_sign(user=cast.carol, expert=carol)
    _move(cast, "pete", "screening")
    claimed = add_degree(carol, cast.carol)  # claimed, not verified
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "credentials_verified")
    assert error.value.field == "credentials"
    certificate = add_degree(carol, cast.pete, kind="certification", level="", title="Six Sigma")
    verify(certificate, cast.pete)  # a certificate is not a degree or licence
    with pytest.raises(DomainError):
        _move(cast, "pete", "credentials_verified")
    verify(claimed, cast.pete)
    assert _move(cast, "pete", "credentials_verified").state == "credentials_verified"


def test_the_trial_score_is_required_in_range_and_at_the_pass_mark(cast: Cast) -> None:
    take_to(cast.carol.expert_profile, "credentials_verified", manager=cast.pete)
    for bad in (None, "", "six", "6", "0.5"):
        with pytest.raises(ValidationError) as invalid:
            _move(cast, "pete", "trial_scored", trial_score=bad)
        assert "trial_score" in invalid.value.message_dict
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "trial_scored", trial_score="3.2")  # below the default pass mark 3.5
    assert error.value.field == "trial_score"
    record = VettingRecord.objects.get(expert=cast.carol.expert_profile)
    assert record.state == "credentials_verified" and record.trial_score is None
    vetting_policy_set(
        user=cast.pete, organisation=cast.provider_p, reverification_months=12, trial_pass_score=Decimal("3")
    )
    assert _move(cast, "pete", "trial_scored", trial_score="3.2").state == "trial_scored"


def test_activation_needs_a_current_verification(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    vetting_start(user=cast.pete, expert=carol)
    terms_sign(user=cast.carol, expert=carol)
    _move(cast, "pete", "screening")
    verify(add_degree(carol, cast.carol), cast.pete, on=add_months(today(), -13))  # verified 13 months ago
    _move(cast, "pete", "credentials_verified")
    _move(cast, "pete", "trial_scored", trial_score=4)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "active")
    assert error.value.field == "verified_on"
    assert _status(carol) == "inactive"


def test_suspend_and_reinstate_need_a_comment(cast: Cast) -> None:
    take_to(cast.carol.expert_profile, "active", manager=cast.pete)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "suspended", comment="   ")
    assert error.value.field == "comment"
    _move(cast, "pete", "suspended", comment="Complaint under review")
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "active")
    assert error.value.field == "comment"


@pytest.mark.parametrize("state", PIPELINE)
def test_a_manager_rejects_from_every_open_state_with_a_reason(cast: Cast, state: str) -> None:
    take_to(cast.carol.expert_profile, state, manager=cast.pete)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "rejected")
    assert error.value.field == "comment"
    assert _move(cast, "pete", "rejected", comment="Fake diploma").state == "rejected"
    assert _status(cast.carol.expert_profile) == "inactive"


@pytest.mark.parametrize("state", PIPELINE)
def test_the_expert_withdraws_from_every_open_state(cast: Cast, state: str) -> None:
    take_to(cast.carol.expert_profile, state, manager=cast.pete)
    record = _move(cast, "carol", "rejected")
    assert record.state == "rejected"
    assert VettingEvent.objects.filter(record=record).last().action == "withdraw"  # type: ignore[union-attr]


def test_rejected_is_terminal_until_the_expert_applies_again(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    take_to(carol, "screening", manager=cast.pete)
    _move(cast, "pete", "rejected", comment="No")
    for target in ("applied", "screening", "active"):
        with pytest.raises(DomainError) as error:
            _move(cast, "pete", target)
        assert "cannot go from" in error.value.message
    assert vetting_start(user=cast.carol, expert=carol).state == "applied"


def test_illegal_jumps_unknown_states_and_stale_forms_are_refused(cast: Cast) -> None:
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "active")
    assert error.value.field == "state" and "cannot go from Applied to Active" in error.value.message
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "hired")
    assert error.value.field == "state"
    terms_sign(user=cast.carol, expert=cast.carol.expert_profile)
    with pytest.raises(DomainError) as error:
        _move(cast, "pete", "screening", expected_state="screening")
    assert "moved on meanwhile" in error.value.message
    assert VettingRecord.objects.get(expert=cast.carol.expert_profile).state == "applied"


def test_starting_twice_or_without_a_record_is_refused(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    with pytest.raises(DomainError):
        _move(cast, "pete", "screening")  # no record yet
    vetting_start(user=cast.pete, expert=carol)
    with pytest.raises(DomainError) as error:
        vetting_start(user=cast.carol, expert=carol)
    assert error.value.field == "state"
    with pytest.raises(DomainError):
        vetting_start(user=cast.quinn, expert=cast.erin.expert_profile)
    assert not VettingRecord.objects.filter(expert=cast.erin.expert_profile).exists()


def test_the_expert_is_told_when_the_vetting_moves(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    terms_sign(user=cast.carol, expert=cast.carol.expert_profile)
    with django_capture_on_commit_callbacks(execute=True):
        _move(cast, "pete", "screening")
    notice = Notice.objects.get(user=cast.carol, kind="vetting")
    assert "Screening" in notice.text and f"/vetting/experts/{cast.carol.expert_profile.pk}/" in notice.url


def test_lapsed_reverification_makes_the_expert_inactive_until_verified_again(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    record = take_to(carol, "active", manager=cast.pete)
    assert record.reverification_due_on == add_months(today(), 12)
    assert vetting_lapse_sync(today=today()) == 0
    later = record.reverification_due_on
    assert vetting_lapse_sync(today=later) == 1
    assert _status(carol) == "inactive"
    # re-verification: a manager verifies a credential again
    VettingRecord.objects.filter(pk=record.pk).update(
        verified_on=add_months(today(), -12), reverification_due_on=today()
    )
    assert vetting_lapse_sync(today=today()) == 0  # already inactive
    verify(carol.credentials.get(), cast.pete)
    record.refresh_from_db()
    assert record.reverification_due_on == add_months(today(), 12) and _status(carol) == "active"


def test_a_shorter_policy_recomputes_the_due_dates(cast: Cast) -> None:
    record = take_to(cast.carol.expert_profile, "active", manager=cast.pete)
    with pytest.raises(DomainError):
        vetting_policy_set(
            user=cast.quinn,
            organisation=cast.provider_p,
            reverification_months=6,
            trial_pass_score=Decimal(3),
        )
    vetting_policy_set(
        user=cast.pete, organisation=cast.provider_p, reverification_months=6, trial_pass_score=Decimal(3)
    )
    record.refresh_from_db()
    assert record.reverification_due_on == add_months(record.verified_on, 6)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as error:
        vetting_policy_set(
            user=cast.pete, organisation=cast.provider_p, reverification_months=0, trial_pass_score=Decimal(3)
        )
    assert "reverification_months" in error.value.message_dict


def test_verified_on_is_a_date_not_a_datetime(cast: Cast) -> None:
    record = take_to(cast.carol.expert_profile, "active", manager=cast.pete)
    assert isinstance(record.verified_on, dt.date) and record.verified_on == today()
