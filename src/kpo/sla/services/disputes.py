"""The dispute flow, each step audited and with a deadline in business days of the provider's calendar.

Opened (client) -> responded (provider's managers, with a proposed outcome) -> resolved when the
client agrees, or -> mediation (either side; the client also when the provider's answer is overdue)
-> resolved by an operator. Every function is keyword-only and atomic and validates before saving;
errors name the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.core.uploads import store_upload
from kpo.notices.services import Text, notice_send
from kpo.sla.access import is_client_writer, is_operator, is_provider_manager
from kpo.sla.models import (
    Dispute,
    DisputeEvidence,
    DisputeOutcome,
    DisputeStatus,
    DisputeStep,
    DisputeStepKind,
)
from kpo.sla.selectors import calendar_for, client_admins, operators, policy_for, provider_managers
from kpo.work.models import Task, TaskStatus
from kpo.work.services import Upload, task_transition

DISPUTABLE_STATES = {TaskStatus.DELIVERED.value}


def _notify(users: Iterable[User], *, kind: str, text: Text, dispute: Dispute, now: dt.datetime) -> None:
    notice_send(
        users=users,
        kind=kind,
        text=text,
        url=reverse("dispute_detail", kwargs={"dispute_id": dispute.pk}),
        now=now,
    )


STEP_EVENTS = {
    DisputeStepKind.OPENED: AuditEvent.DISPUTE_OPENED,
    DisputeStepKind.RESOLVED: AuditEvent.DISPUTE_RESOLVED,
}
"""The audit events of their own; the steps in between are audited as `dispute_step`, naming the step."""


def _step(
    dispute: Dispute, kind: DisputeStepKind, actor: User, note: str, now: dt.datetime, details: dict[str, Any]
) -> None:
    """Add a step to the dispute's history and audit it (the details name the dispute's task too)."""
    DisputeStep.objects.create(dispute=dispute, kind=kind, actor=actor, note=note, at=now)
    event = STEP_EVENTS.get(kind, AuditEvent.DISPUTE_STEP)
    step = {"step": kind.value} if event == AuditEvent.DISPUTE_STEP else {}
    details = {"task": dispute.task_id, **step, **details}
    audit(actor, event, ("dispute", dispute.pk), dispute.task.engagement.client, details, at=now)


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Say why: this field is required.")})
    if len(text) > 5000:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that cannot be stored.")})
    return text


def _store_evidence(dispute: Dispute, upload: Upload, user: User, note: str = "") -> DisputeEvidence:
    evidence = DisputeEvidence(dispute=dispute, note=note[:300])
    store_upload(evidence, upload.stream, upload.name, user, field="evidence")
    return evidence


def _deadline(dispute_or_task: Task, days: int, start: dt.datetime) -> dt.datetime:
    engagement = dispute_or_task.engagement
    return calendar_for(engagement, policy_for(engagement)).add_business_days(start, days)


@transaction.atomic
def dispute_open(
    *, user: User, task: Task, reason: str, evidence: Upload | None = None, now: dt.datetime | None = None
) -> Dispute:
    """The client's admins and requesters dispute a delivery; the provider must answer in N business days."""
    when = now or timezone.now()
    task = (
        Task.objects.select_for_update().select_related("engagement", "engagement__provider").get(pk=task.pk)
    )
    engagement = task.engagement
    if not is_client_writer(user, engagement):
        raise DomainError(_("Only the client's admins and requesters open a dispute."))
    if task.status not in DISPUTABLE_STATES:
        raise DomainError(_("Only a delivered task can be disputed."), field="status")
    if Dispute.objects.filter(task=task).exclude(status=DisputeStatus.RESOLVED).exists():
        raise DomainError(_("This task already has an open dispute."), field="task")
    text = _clean_text(reason, "reason")
    policy = policy_for(engagement)
    dispute = Dispute(
        task=task,
        opened_by=user,
        reason=text,
        response_due_at=_deadline(task, policy.dispute_response_days, when),
    )
    dispute.full_clean()
    dispute.save()
    if evidence is not None:
        _store_evidence(dispute, evidence, user)
    details = {"reason": text[:500], "response_due": dispute.response_due_at.isoformat()}
    _step(dispute, DisputeStepKind.OPENED, user, text, when, details)
    _notify(
        provider_managers(engagement),
        kind="dispute_opened",
        text=lambda: (
            _("The client disputes the delivery of “%(title)s”: please respond.") % {"title": task.title}
        ),
        dispute=dispute,
        now=when,
    )
    return dispute


def _locked(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update()
        .select_related("task", "task__engagement", "task__engagement__client", "task__engagement__provider")
        .get(pk=dispute.pk)
    )


def _credit(
    outcome: str, percent: Decimal | None, amount: Decimal | None, *, prefix: str = ""
) -> tuple[Decimal | None, Decimal | None]:
    if outcome not in DisputeOutcome.values:
        raise ValidationError({f"{prefix}outcome": _("Choose accept, partial credit or redo.")})
    if outcome != DisputeOutcome.PARTIAL_CREDIT:
        if percent is not None or amount is not None:
            raise ValidationError(
                {f"{prefix}credit_percent": _("A credit goes only with the partial-credit outcome.")}
            )
        return None, None
    if (percent is None) == (amount is None):
        raise ValidationError(
            {f"{prefix}credit_percent": _("Give the credit either as a percentage or as an amount.")}
        )
    if percent is not None and not Decimal("0.01") <= percent <= Decimal(100):
        raise ValidationError({f"{prefix}credit_percent": _("The percentage is between 0.01 and 100.")})
    if amount is not None and not Decimal("0.01") <= amount < Decimal(10**12):
        raise ValidationError({f"{prefix}credit_amount": _("The amount must be above zero.")})
    return percent, amount


@transaction.atomic
def dispute_respond(
    *,
    user: User,
    dispute: Dispute,
    response: str,
    proposed_outcome: str,
    credit_percent: Decimal | None = None,
    credit_amount: Decimal | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """The provider's managers answer and propose an outcome."""
    when = now or timezone.now()
    dispute = _locked(dispute)
    engagement = dispute.task.engagement
    if not is_provider_manager(user, engagement):
        raise DomainError(_("Only the provider's managers respond to a dispute."))
    if dispute.status != DisputeStatus.OPENED:
        raise DomainError(_("The provider has already responded to this dispute."), field="status")
    text = _clean_text(response, "response")
    percent, amount = _credit(proposed_outcome, credit_percent, credit_amount, prefix="proposed_")
    dispute.provider_response = text
    dispute.proposed_outcome = proposed_outcome
    dispute.proposed_credit_percent = percent
    dispute.proposed_credit_amount = amount
    dispute.responded_by = user
    dispute.responded_at = when
    dispute.status = DisputeStatus.RESPONDED
    dispute.full_clean()
    dispute.save()
    late = when > dispute.response_due_at
    details = {"proposed_outcome": proposed_outcome, "late": late}
    _step(dispute, DisputeStepKind.RESPONDED, user, text, when, details)
    _notify(
        [dispute.opened_by, *client_admins(engagement)],
        kind="dispute_responded",
        text=lambda: (
            _("The provider responded to your dispute on “%(title)s”.") % {"title": dispute.task.title}
        ),
        dispute=dispute,
        now=when,
    )
    return dispute


@transaction.atomic
def dispute_add_evidence(
    *, user: User, dispute: Dispute, upload: Upload, note: str = "", now: dt.datetime | None = None
) -> DisputeEvidence:
    when = now or timezone.now()
    dispute = _locked(dispute)
    engagement = dispute.task.engagement
    if not (is_client_writer(user, engagement) or is_provider_manager(user, engagement)):
        raise DomainError(
            _("Only the client's admins and requesters and the provider's managers add evidence.")
        )
    if not dispute.is_open:
        raise DomainError(_("The dispute is resolved."), field="status")
    text = _clean_text(note, "note", required=False)[:300]
    evidence = _store_evidence(dispute, upload, user, text)
    details = {"file": evidence.original_name, "sha256": evidence.sha256}
    _step(dispute, DisputeStepKind.EVIDENCE, user, evidence.original_name, when, details)
    return evidence


@transaction.atomic
def dispute_request_mediation(
    *, user: User, dispute: Dispute, note: str = "", now: dt.datetime | None = None
) -> Dispute:
    """Either side asks an operator to mediate after the provider's answer; the client also when that
    answer is overdue. Mediation is due in N business days."""
    when = now or timezone.now()
    dispute = _locked(dispute)
    engagement = dispute.task.engagement
    client_side = is_client_writer(user, engagement)
    if not (client_side or is_provider_manager(user, engagement)):
        raise DomainError(_("Only the two sides of a dispute ask for mediation."))
    if dispute.status == DisputeStatus.OPENED:
        if not (client_side and when >= dispute.response_due_at):
            raise DomainError(
                _("Mediation can be asked for once the provider has answered or its deadline has passed."),
                field="status",
            )
    elif dispute.status != DisputeStatus.RESPONDED:
        raise DomainError(_("This dispute is not waiting for an answer."), field="status")
    text = _clean_text(note, "note", required=False)
    dispute.status = DisputeStatus.MEDIATION
    dispute.mediation_requested_by = user
    dispute.mediation_requested_at = when
    dispute.mediation_due_at = _deadline(dispute.task, policy_for(engagement).mediation_days, when)
    dispute.full_clean()
    dispute.save()
    details = {"note": text[:500], "mediation_due": dispute.mediation_due_at.isoformat()}
    _step(dispute, DisputeStepKind.MEDIATION, user, text, when, details)
    _notify(
        [*operators(), *provider_managers(engagement), dispute.opened_by],
        kind="dispute_mediation",
        text=lambda: (
            _("Mediation was requested for the dispute on “%(title)s”.") % {"title": dispute.task.title}
        ),
        dispute=dispute,
        now=when,
    )
    return dispute


def _resolve(
    dispute: Dispute,
    user: User,
    outcome: str,
    percent: Decimal | None,
    amount: Decimal | None,
    note: str,
    when: dt.datetime,
) -> Dispute:
    task = dispute.task
    engagement = task.engagement
    dispute.outcome = outcome
    dispute.credit_percent = percent
    dispute.credit_amount = amount
    dispute.currency = engagement.currency if amount is not None else ""
    dispute.resolution_note = note
    dispute.resolved_by = user
    dispute.resolved_at = when
    dispute.status = DisputeStatus.RESOLVED
    if (
        outcome == DisputeOutcome.REDO
        and task.status == TaskStatus.DELIVERED
        and is_client_writer(user, engagement)
    ):
        task_transition(
            user=user,
            task=task,
            target=TaskStatus.CHANGES_REQUESTED.value,
            comment=_("Dispute %(id)s resolved: redo. %(note)s") % {"id": dispute.pk, "note": note},
        )
        dispute.redo_applied = True
    dispute.full_clean()
    dispute.save()
    details = {
        "outcome": outcome,
        "credit_percent": str(percent) if percent is not None else None,
        "credit_amount": str(amount) if amount is not None else None,
        "currency": dispute.currency,
        "redo_applied": dispute.redo_applied,
    }
    _step(dispute, DisputeStepKind.RESOLVED, user, note, when, details)
    redo_pending = outcome == DisputeOutcome.REDO and not dispute.redo_applied

    def text() -> str:
        resolved = _("The dispute on “%(title)s” is resolved: %(outcome)s.") % {
            "title": task.title,
            "outcome": str(DisputeOutcome(outcome).label).lower(),
        }
        return f"{resolved} {_('The provider is to redo the work.')}" if redo_pending else resolved

    _notify(
        [*provider_managers(engagement), dispute.opened_by, *client_admins(engagement)],
        kind="dispute_resolved",
        text=text,
        dispute=dispute,
        now=when,
    )
    return dispute


@transaction.atomic
def dispute_agree(*, user: User, dispute: Dispute, note: str = "", now: dt.datetime | None = None) -> Dispute:
    """The client agrees to the provider's proposal: resolved with that outcome (a redo sends the task
    back through its lifecycle: delivered -> changes requested, for the maker to resume)."""
    when = now or timezone.now()
    dispute = _locked(dispute)
    if not is_client_writer(user, dispute.task.engagement):
        raise DomainError(_("Only the client's admins and requesters agree to the provider's proposal."))
    if dispute.status != DisputeStatus.RESPONDED:
        raise DomainError(_("There is no proposal from the provider to agree to."), field="status")
    text = _clean_text(note, "note", required=False)
    return _resolve(
        dispute,
        user,
        dispute.proposed_outcome,
        dispute.proposed_credit_percent,
        dispute.proposed_credit_amount,
        text,
        when,
    )


@transaction.atomic
def dispute_resolve(
    *,
    user: User,
    dispute: Dispute,
    outcome: str,
    note: str,
    credit_percent: Decimal | None = None,
    credit_amount: Decimal | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """An operator ends mediation with an outcome (a redo is recorded for the provider to act on)."""
    when = now or timezone.now()
    dispute = _locked(dispute)
    if not is_operator(user):
        raise DomainError(_("Only an operator resolves a dispute in mediation."))
    if dispute.status != DisputeStatus.MEDIATION:
        raise DomainError(_("Only a dispute in mediation is resolved by an operator."), field="status")
    text = _clean_text(note, "note")
    percent, amount = _credit(outcome, credit_percent, credit_amount)
    return _resolve(dispute, user, outcome, percent, amount, text, when)
