"""Writes for vetting and the compliance passport (DESIGN rule 2: keyword-only, atomic, full_clean).

Every service checks who acts (a service that also validates says so): the capacities come from
`kpo.vetting.access.vetting_capacities`. Each change to a vetting record is one `VettingEvent` and one
audit entry (`vetting_changed`; verifications `credential_verified`), and the expert's profile status
follows the record: active while the record is active and its re-verification is not due, inactive
otherwise. Experts without a record keep the status their provider gives them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit_record
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.core.uploads import check_upload
from kpo.engine.passport import CredentialKind
from kpo.engine.vetting import (
    VettingCapacity,
    VettingError,
    VettingState,
    check_vetting_transition,
    reverification_date,
    satisfied_preconditions,
    transitions_between,
)
from kpo.experts.models import Degree, ExpertProfile, ExpertStatus, VerificationStatus
from kpo.notices.services import notice_send
from kpo.orgs.models import Organisation
from kpo.vetting.access import can_set_requirements, managed_provider_ids, manages, vetting_capacities
from kpo.vetting.conf import terms_version
from kpo.vetting.models import (
    BackgroundCheck,
    Credential,
    CredentialStatus,
    EngagementRequirements,
    Reference,
    TermsSignature,
    Training,
    VerificationMethod,
    VettingEvent,
    VettingPolicy,
    VettingRecord,
    VettingStateChoice,
)
from kpo.vetting.selectors import is_lapsed, passport_of, policy_for, vetting_facts
from kpo.work.models import Engagement
from kpo.work.services import Upload


def _today(now: dt.datetime | None = None) -> dt.date:
    return installation_date(now or timezone.now())


def _state_label(state: str) -> str:
    return str(dict(VettingStateChoice.choices).get(state, state))


def _require_manager(user: User, expert: ExpertProfile, message: str = "") -> frozenset[VettingCapacity]:
    held = vetting_capacities(user, expert)
    if not manages(held):
        raise DomainError(
            message or _("Only the expert's provider managers and operators do this."), field="user"
        )
    return held


def _not_in_future(value: dt.date | None, field: str, today: dt.date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("This date is in the future.")})


def _audit(user: User, expert: ExpertProfile, action: str, **details: Any) -> None:
    audit_record(
        event=AuditEvent.VETTING_CHANGED,
        actor=user,
        organisation=expert.organisation,
        object_type="expert",
        object_id=expert.pk,
        details={"action": action, **details},
    )


# --- status sync -------------------------------------------------------------------------------------


def expected_status(record: VettingRecord, today: dt.date) -> str:
    if record.state == VettingState.ACTIVE and not is_lapsed(record, today):
        return ExpertStatus.ACTIVE.value
    return ExpertStatus.INACTIVE.value


def _sync_status(record: VettingRecord, today: dt.date) -> None:
    """Keep the profile's status in step with the record (and touch it, so matching sees the change)."""
    status = expected_status(record, today)
    ExpertProfile.objects.filter(pk=record.expert_id).exclude(status=status).update(
        status=status, updated_at=timezone.now()
    )
    record.expert.status = status


def _recompute_due(record: VettingRecord) -> None:
    if record.verified_on is None:
        record.reverification_due_on = None
        return
    months = policy_for(record.expert.organisation_id).reverification_months
    record.reverification_due_on = reverification_date(record.verified_on, months)


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


def _notify_expert(record: VettingRecord, text: str, key: str) -> None:
    user = record.expert.user
    url = reverse("vetting_expert", kwargs={"vetting_expert_id": record.expert_id})
    transaction.on_commit(lambda: notice_send(users=[user], kind="vetting", text=text, url=url, key=key))


# --- the pipeline ------------------------------------------------------------------------------------


@transaction.atomic
def vetting_start(*, user: User, expert: ExpertProfile, note: str = "") -> VettingRecord:
    """The expert applies, or their provider's manager (or an operator) starts vetting them.

    A rejected expert may apply again: the record goes back to applied. From then on the profile is
    inactive until the record is active.
    """
    held = vetting_capacities(user, expert)
    if not held:
        raise DomainError(_("Only the expert, their provider's managers and operators start vetting."))
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
    _audit(user, expert, action, to_state=record.state, from_state=source)
    _sync_status(record, _today())
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
    today = _today()
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
    _audit(
        user,
        expert,
        transition.action,
        from_state=source.value,
        to_state=goal.value,
        comment=comment.strip(),
        **({"trial_score": str(score)} if score is not None else {}),
    )
    _sync_status(record, today)
    _notify_expert(
        record,
        _("Your vetting moved to: %(state)s.") % {"state": _state_label(goal)},
        key=f"vetting-event:{event.pk}",
    )
    return record


# --- credentials -------------------------------------------------------------------------------------


@transaction.atomic
def credential_add(
    *,
    user: User,
    expert: ExpertProfile,
    kind: str,
    title: str,
    upload: Upload,
    level: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    degree_id: int | None = None,
) -> Credential:
    """Record a degree, licence or certificate with its evidence, unverified (the expert or a manager).

    Validates: who acts, the kind, a level for a degree, the degree being the expert's own, the dates
    (issued not in the future, expiry after issue) and the evidence (type judged by content).
    """
    if not vetting_capacities(user, expert):
        raise DomainError(_("Only the expert, their provider's managers and operators add credentials."))
    today = _today()
    if kind == CredentialKind.DEGREE.value and not level:
        raise ValidationError({"level": _("Say which level the degree is.")})
    _not_in_future(issued_on, "issued_on", today)
    if issued_on is not None and expires_on is not None and expires_on <= issued_on:
        raise ValidationError({"expires_on": _("The expiry date must be after the issue date.")})
    degree = None
    if degree_id is not None:
        degree = Degree.objects.filter(pk=degree_id, expert_id=expert.pk).first()
        if degree is None:
            raise ValidationError({"degree": _("This is not one of the expert's degrees.")})
    credential = Credential(
        expert=expert,
        kind=kind,
        level=level,
        title=" ".join(title.split()),
        issuer=issuer.strip(),
        degree=degree,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    credential.full_clean(
        exclude=["file", "original_name", "content_type", "size", "sha256", "uploaded_by", "expert"]
    )
    checked = check_upload(upload.stream, upload.name, field="file")
    credential.original_name = upload.name[-255:]
    credential.content_type = checked.content_type
    credential.size = checked.size
    credential.sha256 = checked.sha256
    credential.uploaded_by = user
    credential.file.save(upload.name[-100:], File(upload.stream), save=False)
    credential.save()
    _audit(user, expert, "credential_added", credential=credential.pk, kind=kind, title=credential.title)
    return credential


@transaction.atomic
def credential_verify(
    *,
    user: User,
    credential: Credential,
    method: str,
    verified: bool = True,
    verified_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
) -> Credential:
    """A provider manager or operator verifies (or rejects) a credential: how, when, until when.

    Verifying again is re-verification: it renews the expert's verification date, so a lapsed expert
    becomes current again. Validates: who acts (never the expert on their own credential), the
    method, the dates (not in the future, not before the issue date, not already expired) and a note
    when rejecting.
    """
    expert = credential.expert
    _require_manager(user, expert, _("Only the expert's provider managers and operators verify credentials."))
    if expert.user_id == user.pk:
        raise DomainError(_("Nobody verifies their own credentials."), field="user")
    today = _today()
    day = verified_on or today
    _not_in_future(day, "verified_on", today)
    if credential.issued_on is not None and day < credential.issued_on:
        raise ValidationError({"verified_on": _("A credential cannot be verified before it was issued.")})
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Say how the credential was verified.")})
    if expires_on is not None:
        credential.expires_on = expires_on
    issued, expires = credential.issued_on, credential.expires_on
    if issued is not None and expires is not None and expires <= issued:
        raise ValidationError({"expires_on": _("The expiry date must be after the issue date.")})
    if verified and credential.expires_on is not None and credential.expires_on < today:
        raise ValidationError(
            {
                "expires_on": _("This credential expired on %(date)s: record the renewed one instead.")
                % {"date": credential.expires_on.isoformat()}
            }
        )
    if not verified and not note.strip():
        raise ValidationError({"note": _("Say why the credential is rejected.")})
    credential.status = CredentialStatus.VERIFIED if verified else CredentialStatus.REJECTED
    credential.method = method
    credential.verified_by = user
    credential.verified_on = day
    credential.verification_note = note.strip()
    credential.full_clean(exclude=["file", "expert"])
    credential.save()
    if credential.degree_id is not None:
        Degree.objects.filter(pk=credential.degree_id).update(
            verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.REJECTED
        )
        ExpertProfile.objects.filter(pk=expert.pk).update(updated_at=timezone.now())
    record = VettingRecord.objects.select_for_update().filter(expert_id=expert.pk).first()
    if record is not None and verified:
        record.expert = expert
        if record.verified_on is None or day > record.verified_on:
            record.verified_on = day
        _recompute_due(record)
        record.save(update_fields=["verified_on", "reverification_due_on", "updated_at"])
        _sync_status(record, today)
    audit_record(
        event=AuditEvent.CREDENTIAL_VERIFIED,
        actor=user,
        organisation=expert.organisation,
        object_type="credential",
        object_id=credential.pk,
        details={
            "expert": expert.pk,
            "outcome": credential.status,
            "method": method,
            "verified_on": day.isoformat(),
            "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        },
    )
    return credential


# --- the rest of the passport ------------------------------------------------------------------------


@transaction.atomic
def background_check_record(
    *, user: User, expert: ExpertProfile, provider: str, checked_on: dt.date, result: str
) -> BackgroundCheck:
    """Record a background check's outcome only (provider, date, result). Validates the date and result."""
    _require_manager(user, expert)
    _not_in_future(checked_on, "checked_on", _today())
    check = BackgroundCheck(
        expert=expert,
        provider=" ".join(provider.split()),
        checked_on=checked_on,
        result=result,
        recorded_by=user,
    )
    check.full_clean(exclude=["expert"])
    check.save()
    _audit(
        user,
        expert,
        "background_check",
        provider=check.provider,
        checked_on=checked_on.isoformat(),
        result=result,
    )
    return check


@transaction.atomic
def reference_add(
    *,
    user: User,
    expert: ExpertProfile,
    name: str,
    relation: str,
    outcome: str,
    contacted_on: dt.date | None = None,
) -> Reference:
    """Record a reference and what it said. Validates: a contact date for any outcome but pending."""
    _require_manager(user, expert)
    _not_in_future(contacted_on, "contacted_on", _today())
    if outcome != "pending" and contacted_on is None:
        raise ValidationError({"contacted_on": _("Say when the reference was contacted.")})
    reference = Reference(
        expert=expert,
        name=" ".join(name.split()),
        relation=" ".join(relation.split()),
        contacted_on=contacted_on,
        outcome=outcome,
        recorded_by=user,
    )
    reference.full_clean(exclude=["expert"])
    reference.save()
    _audit(user, expert, "reference", reference=reference.pk, outcome=outcome)
    return reference


@transaction.atomic
def training_record(
    *,
    user: User,
    expert: ExpertProfile,
    name: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
) -> Training:
    """Record a completed training. Validates: completed not in the future, expiry after completion."""
    _require_manager(user, expert)
    _not_in_future(completed_on, "completed_on", _today())
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError({"expires_on": _("The expiry date must be after the completion date.")})
    training = Training(
        expert=expert,
        name=" ".join(name.split()),
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=user,
    )
    training.full_clean(exclude=["expert"])
    training.save()
    _audit(user, expert, "training", name=training.name, completed_on=completed_on.isoformat())
    return training


@transaction.atomic
def terms_sign(*, user: User, expert: ExpertProfile) -> TermsSignature:
    """The expert signs the current platform terms (only the expert, once per version)."""
    if expert.user_id != user.pk:
        raise DomainError(_("Only the expert signs the platform terms, for themself."), field="user")
    version = terms_version()
    if TermsSignature.objects.filter(expert_id=expert.pk, version=version).exists():
        raise DomainError(
            _("You have already signed version %(version)s of the platform terms.") % {"version": version},
            field="version",
        )
    signature = TermsSignature(expert=expert, version=version, signed_on=_today())
    signature.full_clean(exclude=["expert"])
    signature.save()
    _audit(user, expert, "terms_signed", version=version)
    return signature


@transaction.atomic
def vetting_policy_set(
    *, user: User, organisation: Organisation, reverification_months: int, trial_pass_score: Decimal
) -> VettingPolicy:
    """A provider's managers (or an operator) set its re-verification period and trial pass mark;
    the due dates of its experts' records are recomputed at once."""
    if not (user.is_staff or organisation.pk in managed_provider_ids(user)):
        raise DomainError(_("Only the provider's managers and operators change its vetting policy."))
    policy = VettingPolicy.objects.filter(organisation=organisation).first() or VettingPolicy(
        organisation=organisation
    )
    policy.reverification_months = reverification_months
    policy.trial_pass_score = trial_pass_score
    policy.full_clean()
    policy.save()
    today = _today()
    for record in VettingRecord.objects.select_related("expert", "expert__organisation").filter(
        expert__organisation=organisation
    ):
        _recompute_due(record)
        record.save(update_fields=["reverification_due_on", "updated_at"])
        _sync_status(record, today)
    audit_record(
        event=AuditEvent.VETTING_CHANGED,
        actor=user,
        organisation=organisation,
        object_type="vetting_policy",
        object_id=policy.pk,
        details={
            "action": "policy",
            "reverification_months": reverification_months,
            "trial_pass_score": str(trial_pass_score),
        },
    )
    return policy


def vetting_lapse_sync(*, today: dt.date | None = None) -> int:
    """Set every vetted expert's status from their record (lapsed re-verification → inactive, renewed
    → active); run daily (`kpo vetting-sync`). Returns how many profiles changed."""
    day = today or _today()
    changed = 0
    records = VettingRecord.objects.select_related("expert")
    for record in records.iterator(chunk_size=1000):
        status = expected_status(record, day)
        if record.expert.status != status:
            with transaction.atomic():
                _sync_status(record, day)
            changed += 1
    return changed


# --- engagement requirements -------------------------------------------------------------------------

REQUIREMENT_FIELDS = (
    "require_platform_terms",
    "require_verified_credential",
    "min_degree_level",
    "required_licences",
    "background_check_max_age_months",
    "required_trainings",
)


@transaction.atomic
def requirements_set(*, user: User, engagement: Engagement, **fields: Any) -> EngagementRequirements:
    """The client's admins set what the experts' passports must show for this engagement."""
    if not can_set_requirements(user, engagement):
        raise DomainError(_("Only the client's admins set the passport requirements of an engagement."))
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    requirements = EngagementRequirements.objects.filter(engagement=engagement).first() or (
        EngagementRequirements(engagement=engagement, updated_by=user)
    )
    for name, value in fields.items():
        if name in ("required_licences", "required_trainings"):
            value = "\n".join(EngagementRequirements.lines(value or ""))
        setattr(requirements, name, value)
    requirements.updated_by = user
    requirements.full_clean(exclude=["engagement"])
    requirements.save()
    audit_record(
        event=AuditEvent.VETTING_CHANGED,
        actor=user,
        organisation=engagement.client,
        object_type="engagement",
        object_id=engagement.pk,
        details={
            "action": "passport_requirements",
            **{name: getattr(requirements, name) for name in REQUIREMENT_FIELDS},
        },
    )
    return requirements
