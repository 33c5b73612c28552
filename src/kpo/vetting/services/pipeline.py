"""The vetting pipeline: the expert applies (or is started), then moves from state to state as the
engine (`kpo.engine.vetting`) allows for the actor's capacities and the preconditions that hold.

Each change is one `VettingEvent` and one audit entry (`vetting_changed`), and the expert is told.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.engine.vetting import (
    VettingCapacity,
    VettingError,
    VettingState,
    check_vetting_transition,
    satisfied_preconditions,
    transitions_between,
)
from kpo.experts.models import ExpertProfile
from kpo.notices.services import Text, notice_send
from kpo.vetting.access import manages, vetting_capacities
from kpo.vetting.models import VettingEvent, VettingRecord, VettingStateChoice
from kpo.vetting.selectors import passport_of, vetting_facts
from kpo.vetting.services.common import audit_change, local_today
from kpo.vetting.services.status import sync_status


def _state_label(state: str) -> str:
    return str(dict(VettingStateChoice.choices).get(state, state))


def _event(record: VettingRecord, user: User, action: str, source: str, note: str = "") -> VettingEvent:
    event = VettingEvent(
        record=record,
        actor=user,
        action=action,
        from_state=source,
        to_state=record.state,
        note=note,
        at=timezone.now(),
    )
    event.full_clean()
    event.save()
    return event


def _notify_expert(record: VettingRecord, text: Text, key: str) -> None:
    user = record.expert.user
    url = reverse("vetting_expert", kwargs={"vetting_expert_id": record.expert_id})
    transaction.on_commit(lambda: notice_send(users=[user], kind="vetting", text=text, url=url, key=key))


# --- the pipeline ------------------------------------------------------------------------------------


@transaction.atomic
def vetting_start(*, user: User, expert: ExpertProfile, note: str = "") -> VettingRecord:
    """The expert applies, or their provider's manager starts vetting them.

    A rejected expert may apply again: the record goes back to applied. From then on the profile is
    inactive until the record is active.
    """
    held = vetting_capacities(user, expert)
    if not held:
        raise DomainError(_("Only the expert and their provider's managers start vetting."))
    record = VettingRecord.objects.select_for_update().filter(expert_id=expert.pk).first()
    if record is not None and record.state != VettingState.REJECTED:
        raise DomainError(
            _("This expert is already in vetting (%(state)s).") % {"state": _state_label(record.state)},
            field="state",
        )
    source = record.state if record is not None else ""
    if record is None:
        record = VettingRecord(expert=expert, started_by=user)
    record.expert = expert
    record.state = VettingState.APPLIED.value
    record.trial_score = None
    record.full_clean(exclude=["expert"])
    record.save()
    action = "apply" if VettingCapacity.EXPERT in held and not manages(held) else "start"
    _event(record, user, action, source, note.strip())
    audit_change(user, expert, action, to_state=record.state, from_state=source)
    sync_status(record, local_today())
    return record


def _transition_error(error: VettingError) -> DomainError:
    messages = {
        "platform_terms_signed_on": _("The expert must sign the platform terms before screening starts."),
        "credentials": _("Verify at least one unexpired degree or licence first."),
        "trial_score": _("The trial task must be scored at or above the pass mark."),
        "verified_on": _("Re-verification is due: verify the credentials again first."),
        "comment": _("Say why in a comment."),
    }
    return DomainError(messages.get(error.field, error.message), field=error.field)


def _parse_score(value: object) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"trial_score": _("Enter a number from 1 to 5.")}) from error
    if not score.is_finite() or not Decimal(1) <= score <= Decimal(5):
        raise ValidationError({"trial_score": _("Enter a number from 1 to 5.")})
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def vetting_transition(
    *,
    user: User,
    expert: ExpertProfile,
    target: str,
    comment: str = "",
    trial_score: object = None,
    expected_state: str = "",
) -> VettingRecord:
    """Move the expert's record to `target` if the engine allows it for this user now.

    Validates: the target is a state, the user's capacity, the preconditions (terms signed, a valid
    credential, the trial score at the pass mark, verification current), a comment where one is
    needed, and (with `expected_state`) that nobody moved the record meanwhile.
    """
    record = VettingRecord.objects.select_for_update().filter(expert_id=expert.pk).first()
    if record is None:
        raise DomainError(_("This expert has no vetting record: start vetting first."), field="state")
    record.expert = expert
    if expected_state and expected_state != record.state:
        raise DomainError(
            _("The vetting moved on meanwhile: it is now %(state)s. Reload and try again.")
            % {"state": _state_label(record.state)},
            field="state",
        )
    try:
        goal = VettingState(target)
    except ValueError as error:
        raise DomainError(
            _("%(target)s is not a vetting state.") % {"target": target}, field="state"
        ) from error
    source = VettingState(record.state)
    candidates = transitions_between(source, goal)
    if not candidates:
        raise DomainError(
            _("Vetting cannot go from %(source)s to %(target)s.")
            % {"source": _state_label(source), "target": _state_label(goal)},
            field="state",
        )
    held = vetting_capacities(user, expert)
    if not any(t.capacities & held for t in candidates):
        raise DomainError(
            _("Your role does not allow moving this expert from %(source)s to %(target)s.")
            % {"source": _state_label(source), "target": _state_label(goal)},
            field="state",
        )
    score: Decimal | None = None
    if goal == VettingState.TRIAL_SCORED:
        if trial_score in (None, ""):
            raise ValidationError({"trial_score": _("Enter the trial task's score (1 to 5).")})
        score = _parse_score(trial_score)
    today = local_today()
    facts = vetting_facts(record, passport_of(expert), trial_score=score)
    try:
        transition = check_vetting_transition(
            source, goal, held, satisfied_preconditions(facts, today), comment
        )
    except VettingError as error:
        raise _transition_error(error) from error
    if score is not None:
        record.trial_score = score
    record.state = goal.value
    record.full_clean(exclude=["expert"])
    record.save()
    event = _event(record, user, transition.action, source.value, comment.strip())
    audit_change(
        user,
        expert,
        transition.action,
        from_state=source.value,
        to_state=goal.value,
        comment=comment.strip(),
        **({"trial_score": str(score)} if score is not None else {}),
    )
    sync_status(record, today)
    _notify_expert(
        record,
        lambda: _("Your vetting moved to: %(state)s.") % {"state": _state_label(goal)},
        key=f"vetting-event:{event.pk}",
    )
    return record
