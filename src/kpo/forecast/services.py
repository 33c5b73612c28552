"""Scaling an engagement's team up and releasing an expert from it; each in one transaction, audited.

Scale up: N new tasks ("additional expert k of N"), each asking for the chosen skills for H hours a week
from week W until a date, submitted at once (so they wait for staff and the forecast counts them from W);
for a provider manager a staffing run over them starts in the worker (kpo.staffing's flow: the plan is
solved in the background and committed by a manager); a client admin's request waits for the provider's
managers to staff it. Release: the expert's assignments on the engagement's open tasks keep only the
planned hours that fit before the release date, and a hand-over task per assignment carries the rest
from that date, waiting for staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.clock import installation_date, installation_zone
from kpo.core.errors import DomainError
from kpo.core.formatting import day as day_text
from kpo.engine.forecast import monday_of
from kpo.experts.models import EscoSkill, ExpertProfile
from kpo.forecast.access import can_release, can_scale
from kpo.forecast.models import PlannedStart, TeamChange, TeamChangeKind
from kpo.staffing.services import staffing_run_create
from kpo.work.access import is_provider_manager
from kpo.work.models import (
    OPEN_STATUS_VALUES,
    Assignment,
    Engagement,
    EngagementStatus,
    Task,
    TaskLanguage,
    TaskSkill,
    TaskStatus,
    TaskTransition,
    TimeEntry,
    TimeEntryStatus,
)

MAX_EXPERTS = 20
MAX_SKILLS = 10
MAX_HOURS_PER_WEEK = Decimal(40)
MAX_TASK_HOURS = Decimal(10000)
SKILL_LEVEL = 3
DUE_HOUR = dt.time(15, 0)


def _working_days(start: dt.date, end: dt.date) -> int:
    days = 0
    day = start
    while day <= end:
        days += day.weekday() < 5
        day += dt.timedelta(days=1)
    return days


def _due_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, DUE_HOUR, tzinfo=installation_zone())


def _check_engagement(engagement: Engagement) -> None:
    if engagement.status != EngagementStatus.ACTIVE:
        raise DomainError(_("Only an active engagement's team can change."), field="engagement")


def _submitted_task(
    *,
    user: User,
    engagement: Engagement,
    title: str,
    description: str,
    hours: Decimal,
    due: dt.date,
    skills: Sequence[tuple[int, int]],
    comment: str,
) -> Task:
    task = Task(
        engagement=engagement,
        title=title,
        description=description,
        effort_hours=hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),  # the field keeps one place
        due_at=_due_at(due),
        status=TaskStatus.SUBMITTED,
        created_by=user,
    )
    task.full_clean()
    task.save()
    TaskSkill.objects.bulk_create(
        TaskSkill(task=task, skill_id=skill, min_proficiency=level) for skill, level in skills
    )
    TaskLanguage.objects.create(task=task, language="en", min_level="B2")
    TaskTransition.objects.create(
        task=task,
        actor=user,
        from_status=TaskStatus.DRAFT,
        to_status=TaskStatus.SUBMITTED,
        comment=comment,
        at=timezone.now(),
    )
    return task


@transaction.atomic
def team_scale_up(
    *,
    user: User,
    engagement: Engagement,
    experts: int,
    skill_ids: Sequence[int],
    starts: dt.date,
    hours_per_week: Decimal,
    until: dt.date,
    today: dt.date | None = None,
) -> TeamChange:
    """Add `experts` seats asking for `skill_ids`, `hours_per_week` each from the week of `starts` until
    `until`; a provider manager's request also starts a staffing run over them."""
    if not can_scale(user, engagement):
        raise PermissionDenied(_("Only the provider's managers and the client's admins change the team."))
    _check_engagement(engagement)
    day = today or installation_date(timezone.now())
    if not 1 <= experts <= MAX_EXPERTS:
        raise DomainError(
            _("Add between 1 and %(n)s experts at a time.") % {"n": MAX_EXPERTS}, field="experts"
        )
    wanted = list(dict.fromkeys(int(pk) for pk in skill_ids))
    if not wanted:
        raise DomainError(_("Pick at least one skill."), field="skills")
    if len(wanted) > MAX_SKILLS:
        raise DomainError(_("Pick at most %(n)s skills.") % {"n": MAX_SKILLS}, field="skills")
    known = set(EscoSkill.objects.filter(id__in=wanted).values_list("id", flat=True))
    if len(known) != len(wanted):
        raise DomainError(_("One of the skills does not exist."), field="skills")
    if not Decimal(1) <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise DomainError(
            _("Hours per week must be between 1 and %(n)s.") % {"n": MAX_HOURS_PER_WEEK},
            field="hours_per_week",
        )
    week = monday_of(starts)
    if week < monday_of(day):
        raise DomainError(_("The first week cannot lie in the past."), field="starts")
    first = max(week, day)
    if until <= first:
        raise DomainError(_("The end must come after the first week starts."), field="until")
    if engagement.end_date is not None and until > engagement.end_date:
        raise DomainError(
            _("The end cannot be after the engagement ends (%(date)s).") % {"date": engagement.end_date},
            field="until",
        )
    hours = (hours_per_week * _working_days(first, until) / 5).quantize(
        Decimal("0.5"), rounding=ROUND_HALF_UP
    )
    if hours > MAX_TASK_HOURS:
        raise DomainError(
            _("That is more than %(n)s hours per expert: pick an earlier end.") % {"n": MAX_TASK_HOURS},
            field="until",
        )
    hours = max(hours, Decimal("0.5"))
    iso_week = week.isocalendar().week
    change = TeamChange(engagement=engagement, kind=TeamChangeKind.SCALE_UP, requested_by=user, details={})
    change.save()
    labels = dict(EscoSkill.objects.filter(id__in=wanted).values_list("id", "label"))
    tasks = []
    for index in range(1, experts + 1):
        task = _submitted_task(
            user=user,
            engagement=engagement,
            title=_("Additional expert %(k)s of %(n)s from week %(week)s")
            % {"k": index, "n": experts, "week": iso_week},
            description=_(
                "%(hours)s hours a week from week %(week)s until %(until)s, with these skills: %(skills)s."
            )
            % {
                "hours": hours_per_week,
                "week": iso_week,
                "until": day_text(until),
                "skills": ", ".join(labels[pk] for pk in wanted),
            },
            hours=hours,
            due=until,
            skills=[(pk, SKILL_LEVEL) for pk in wanted],
            comment=_("Team scaled up"),
        )
        PlannedStart.objects.create(task=task, change=change, starts=first)
        tasks.append(task)
    change.details = {
        "experts": experts,
        "skills": wanted,
        "starts": first.isoformat(),
        "hours_per_week": str(hours_per_week),
        "until": until.isoformat(),
        "task_ids": [task.pk for task in tasks],
    }
    if is_provider_manager(user, engagement):
        change.run = staffing_run_create(
            user=user, provider=engagement.provider, task_ids=[task.pk for task in tasks]
        )
    change.save()
    audit(user, AuditEvent.TEAM_SCALED, ("engagement", engagement.pk), engagement.client, change.details)
    return change


def released_candidates(engagement: Engagement) -> list[ExpertProfile]:
    """Experts with an assignment on one of the engagement's open tasks."""
    return list(
        ExpertProfile.objects.filter(
            assignments__task__engagement=engagement, assignments__task__status__in=OPEN_STATUS_VALUES
        )
        .select_related("user")
        .distinct()
        .order_by("user__first_name", "user__last_name", "id")
    )


@transaction.atomic
def team_release(
    *,
    user: User,
    engagement: Engagement,
    expert_id: object,
    on_date: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> TeamChange:
    """End the expert's assignments on the engagement's open tasks at `on_date`: each keeps the planned
    hours that fit before that day (at an even pace to its task's due date) and a hand-over task, waiting
    for staff from `on_date`, carries the rest."""
    if not can_release(user, engagement):
        raise PermissionDenied(_("Only the provider's managers and the client's admins change the team."))
    _check_engagement(engagement)
    day = today or installation_date(timezone.now())
    try:
        expert_pk = int(str(expert_id))
    except ValueError as error:
        raise DomainError(_("Pick an expert who works on this engagement."), field="expert") from error
    assignments = list(
        Assignment.objects.select_for_update()
        .filter(task__engagement=engagement, task__status__in=OPEN_STATUS_VALUES, expert_id=expert_pk)
        .select_related("task", "expert__user")
        .order_by("task_id", "role")
    )
    if not assignments:
        raise DomainError(_("Pick an expert who works on this engagement."), field="expert")
    if on_date < day:
        raise DomainError(_("The release date cannot lie in the past."), field="on_date")
    if engagement.end_date is not None and on_date > engagement.end_date:
        raise DomainError(
            _("The release date cannot be after the engagement ends (%(date)s).")
            % {"date": engagement.end_date},
            field="on_date",
        )
    if len(note) > 500:
        raise DomainError(_("Keep the note under 500 characters."), field="note")
    logged = dict(
        TimeEntry.objects.filter(task__in=[a.task_id for a in assignments], expert_id=expert_pk)
        .exclude(status=TimeEntryStatus.REJECTED)
        .values("task_id")
        .annotate(hours=Sum("hours"))
        .values_list("task_id", "hours")
    )
    expert = assignments[0].expert
    change = TeamChange(engagement=engagement, kind=TeamChangeKind.RELEASE, requested_by=user, details={})
    change.save()
    cut: list[dict[str, object]] = []
    hand_overs: list[int] = []
    for assignment in assignments:
        task = assignment.task
        due = installation_date(task.due_at)
        remaining = max(Decimal(0), assignment.planned_hours - Decimal(logged.get(task.pk) or 0))
        days_left = _working_days(day, due)
        before = _working_days(day, on_date - dt.timedelta(days=1)) if on_date > day else 0
        keep = (
            min(remaining, (remaining * before / days_left).quantize(Decimal("0.1")))
            if days_left
            else Decimal(0)
        )
        handed = remaining - keep
        planned_before = assignment.planned_hours
        assignment.planned_hours = planned_before - handed
        assignment.save(update_fields=["planned_hours", "updated_at"])
        cut.append(
            {
                "assignment": assignment.pk,
                "task_id": task.pk,
                "planned_before": str(planned_before),
                "planned_after": str(assignment.planned_hours),
            }
        )
        if handed <= 0:
            continue
        skills = list(TaskSkill.objects.filter(task=task).values_list("skill_id", "min_proficiency"))
        hand_over = _submitted_task(
            user=user,
            engagement=engagement,
            title=(_("Hand-over: %(title)s") % {"title": task.title})[:200],
            description=_("Takes over from %(name)s (%(role)s) from %(date)s: %(hours)s hours left.")
            % {
                "name": expert.display_name,
                "role": assignment.get_role_display(),
                "date": day_text(on_date),
                "hours": handed,
            },
            hours=max(handed, Decimal("0.5")),
            due=max(due, on_date + dt.timedelta(days=7)),
            skills=skills,
            comment=_("Hand-over after a release"),
        )
        PlannedStart.objects.create(task=hand_over, change=change, starts=on_date)
        hand_overs.append(hand_over.pk)
    change.details = {
        "expert_id": expert_pk,
        "on_date": on_date.isoformat(),
        "note": note,
        "task_ids": hand_overs,
        "assignments": cut,
    }
    change.save()
    audit(user, AuditEvent.EXPERT_RELEASED, ("engagement", engagement.pk), engagement.client, change.details)
    return change
