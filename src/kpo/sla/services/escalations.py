"""Escalations (`kpo sla-check`): tasks newly at risk or breached, and disputes past a step's deadline.

Each escalation is recorded under a key, so it fires once: a notice to the provider's managers, the
task's creator and the client's admins (operators too for overdue mediation), and an audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.engine.business_calendar import SlaState
from kpo.notices.services import notice_send
from kpo.sla.models import DisputeStatus, DisputeStep, DisputeStepKind, SlaEscalation
from kpo.sla.selectors import (
    DELIVERY,
    RESPONSE,
    client_admins,
    disputes_overdue,
    open_tasks,
    operators,
    provider_managers,
    task_slas,
)
from kpo.work.models import Task


@dataclass
class CheckReport:
    checked_tasks: int = 0
    task_escalations: int = 0
    checked_disputes: int = 0
    dispute_escalations: int = 0
    notices: int = 0

    @property
    def escalations(self) -> int:
        return self.task_escalations + self.dispute_escalations


def _escalate_once(
    *, key: str, task: Task, clock: str, state: str, due: dt.datetime, now: dt.datetime
) -> bool:
    """Record the escalation; False when it was already sent (so each fires once)."""
    if SlaEscalation.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            SlaEscalation.objects.create(key=key, task=task, clock=clock, state=state, due_at=due, at=now)
    except IntegrityError:  # a concurrent check sent it
        return False
    return True


def _task_notice_text(task: Task, clock: str, state: str, due: dt.datetime, zone: dt.tzinfo) -> str:
    local_due = timezone.localtime(due, zone).strftime("%Y-%m-%d %H:%M %Z")
    what = _("response") if clock == RESPONSE else _("delivery")
    if state == SlaState.BREACHED.value:
        return _("SLA breached: the %(clock)s time of “%(title)s” ran out at %(due)s.") % {
            "clock": what,
            "title": task.title,
            "due": local_due,
        }
    return _("SLA at risk: the %(clock)s time of “%(title)s” is nearly used up (due %(due)s).") % {
        "clock": what,
        "title": task.title,
        "due": local_due,
    }


def _dispute_overdue_text(title: str, *, mediation: bool) -> str:
    if mediation:
        return _("Mediation of the dispute on “%(title)s” is overdue.") % {"title": title}
    return _("The provider's answer to the dispute on “%(title)s” is overdue.") % {"title": title}


def _check_tasks(now: dt.datetime, report: CheckReport) -> None:
    tasks = open_tasks()
    report.checked_tasks = len(tasks)
    for sla in task_slas(tasks, now).values():
        clock = sla.current
        if (
            clock is None
            or clock.finished is not None
            or clock.state
            not in (
                SlaState.AT_RISK,
                SlaState.BREACHED,
            )
        ):
            continue
        task = sla.task
        name = sla.clock_name or DELIVERY
        key = f"sla:task-{task.pk}:{name}:{clock.state.value}"
        with transaction.atomic():
            if not _escalate_once(
                key=key, task=task, clock=name, state=clock.state.value, due=clock.due, now=now
            ):
                continue
            engagement = task.engagement
            people = [*provider_managers(engagement), task.created_by, *client_admins(engagement)]
            sent = notice_send(
                users=people,
                kind=f"sla_{clock.state.value}",
                text=partial(_task_notice_text, task, name, clock.state.value, clock.due, sla.calendar.zone),
                url=reverse("task_detail", kwargs={"task_id": task.pk}),
                key=key,
                now=now,
            )
            details = {
                "clock": name,
                "state": clock.state.value,
                "due": clock.due.isoformat(),
                "used_hours": round(clock.used_hours, 2),
                "allowance_hours": clock.allowance_hours,
                "notified": [user.pk for user in people],
            }
            audit(None, AuditEvent.SLA_ESCALATED, ("task", task.pk), engagement.client, details, at=now)
        report.task_escalations += 1
        report.notices += len(sent)


def _check_disputes(now: dt.datetime, report: CheckReport) -> None:
    overdue = disputes_overdue(now)
    report.checked_disputes = len(overdue)
    for dispute in overdue:
        step = dispute.status
        due = dispute.current_due_at
        if due is None:
            continue
        key = f"sla:dispute-{dispute.pk}:{step}:overdue"
        task = dispute.task
        engagement = task.engagement
        with transaction.atomic():
            if not _escalate_once(
                key=key, task=task, clock=f"dispute_{step}", state="overdue", due=due, now=now
            ):
                continue
            people = [*provider_managers(engagement), dispute.opened_by, *client_admins(engagement)]
            if step == DisputeStatus.MEDIATION:
                people += operators()
            text = partial(_dispute_overdue_text, task.title, mediation=step == DisputeStatus.MEDIATION)
            sent = notice_send(
                users=people,
                kind="dispute_overdue",
                text=text,
                url=reverse("dispute_detail", kwargs={"dispute_id": dispute.pk}),
                key=key,
                now=now,
            )
            DisputeStep.objects.create(dispute=dispute, kind=DisputeStepKind.OVERDUE, note=step, at=now)
            details = {"step": step, "due": due.isoformat(), "notified": [user.pk for user in people]}
            audit(None, AuditEvent.SLA_ESCALATED, ("dispute", dispute.pk), engagement.client, details, at=now)
        report.dispute_escalations += 1
        report.notices += len(sent)


def sla_check(*, now: dt.datetime | None = None) -> CheckReport:
    """Escalate tasks newly at risk or breached and disputes past a step's deadline, each once."""
    when = now or timezone.now()
    report = CheckReport()
    _check_tasks(when, report)
    _check_disputes(when, report)
    return report
