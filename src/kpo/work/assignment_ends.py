"""Ending an expert's assignments on an engagement at a date (a release from its team): each assignment
on an open task keeps the planned hours that fit before that date, at an even pace over the working days
to its task's due date, and ends the day before it. After that day the expert logs no time on the task
(`activity_rules.check_time_entry`) and capacity counts none of its hours. Audited as `assignment_ended`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.core.formatting import day as day_text
from kpo.engine.taxonomy import Role
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import is_provider_manager
from kpo.work.models import OPEN_STATUS_VALUES, Assignment, Engagement, TimeEntry, TimeEntryStatus

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class EndedAssignment:
    assignment: Assignment
    planned_before: Decimal
    handed_over: Decimal
    """The planned hours not yet logged that fall on or after the release date: work for someone else."""


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from `start` to `end`, both included."""
    days = 0
    day = start
    while day <= end:
        days += day.weekday() < 5
        day += dt.timedelta(days=1)
    return days


def can_end_assignments(user: User, engagement: Engagement) -> bool:
    """The provider's managers and the client's admins end assignments on an engagement."""
    return is_provider_manager(user, engagement) or engagement.client_id in org_ids_with_roles(
        user, {Role.CLIENT_ADMIN.value}
    )


def _check_date(engagement: Engagement, on_date: dt.date, today: dt.date) -> None:
    if on_date < today:
        raise DomainError(_("The release date cannot lie in the past."), field="on_date")
    if engagement.end_date is not None and on_date > engagement.end_date:
        raise DomainError(
            _("The release date cannot be after the engagement ends (%(date)s).")
            % {"date": day_text(engagement.end_date)},
            field="on_date",
        )


def _expert_pk(expert_id: object) -> int:
    try:
        return int(str(expert_id))
    except ValueError as error:
        raise DomainError(_("Pick an expert who works on this engagement."), field="expert") from error


@transaction.atomic
def assignments_end(
    *, user: User, engagement: Engagement, expert_id: object, on_date: dt.date, today: dt.date
) -> list[EndedAssignment]:
    """End the expert's assignments on the engagement's open tasks (those not ended yet) the day before
    `on_date`."""
    if not can_end_assignments(user, engagement):
        raise DomainError(_("Only the provider's managers and the client's admins change the team."))
    expert_pk = _expert_pk(expert_id)
    assignments = list(
        Assignment.objects.select_for_update()
        .filter(
            task__engagement=engagement,
            task__status__in=OPEN_STATUS_VALUES,
            expert_id=expert_pk,
            ends_on__isnull=True,
        )
        .select_related("task", "expert__user")
        .order_by("task_id", "role")
    )
    if not assignments:
        raise DomainError(_("Pick an expert who works on this engagement."), field="expert")
    _check_date(engagement, on_date, today)
    logged = dict(
        TimeEntry.objects.filter(task__in=[a.task_id for a in assignments], expert_id=expert_pk)
        .exclude(status=TimeEntryStatus.REJECTED)
        .values("task_id")
        .annotate(hours=Sum("hours"))
        .values_list("task_id", "hours")
    )
    ends_on = on_date - dt.timedelta(days=1)
    ended = []
    for assignment in assignments:
        due = installation_date(assignment.task.due_at)
        remaining = max(Decimal(0), assignment.planned_hours - Decimal(logged.get(assignment.task_id) or 0))
        days_left = working_days(today, due)
        before = working_days(today, ends_on)
        keep = (
            min(remaining, (remaining * before / days_left).quantize(ONE_PLACE)) if days_left else Decimal(0)
        )
        planned_before = assignment.planned_hours
        assignment.planned_hours = planned_before - (remaining - keep)
        assignment.ends_on = ends_on
        assignment.save(update_fields=["planned_hours", "ends_on", "updated_at"])
        ended.append(EndedAssignment(assignment, planned_before, remaining - keep))
    details = {
        "expert_id": expert_pk,
        "ends_on": ends_on.isoformat(),
        "assignments": [
            {
                "assignment": item.assignment.pk,
                "task_id": item.assignment.task_id,
                "planned_before": str(item.planned_before),
                "planned_after": str(item.assignment.planned_hours),
            }
            for item in ended
        ],
    }
    audit(user, AuditEvent.ASSIGNMENT_ENDED, ("engagement", engagement.pk), engagement.client, details)
    return ended
