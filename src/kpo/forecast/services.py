"""Scaling an engagement's team up and releasing an expert from it; each in one transaction, audited.

Scale up: N new tasks ("additional expert k of N"), each asking for the chosen skills for H hours a week
from week W until a date, submitted at once (so they wait for staff and the forecast counts them from W);
for a provider manager a staffing run over them starts in the worker (kpo.staffing's flow: the plan is
solved in the background and committed by a manager); a client admin's request waits for the provider's
managers to staff it. Release: work's `assignments_end` ends the expert's assignments on the
engagement's open tasks the day before the release date, keeping the planned hours that fit before it,
and a hand-over task per assignment carries the rest from that date, waiting for staff. Tasks are
created and submitted by work's `task_create_submitted`, so they live as any submitted task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
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
from kpo.work.assignment_ends import assignments_end, working_days
from kpo.work.models import OPEN_STATUS_VALUES, Engagement, EngagementStatus, Task, TaskLanguage, TaskSkill
from kpo.work.services import task_create_submitted

MAX_EXPERTS = 20
MAX_SKILLS = 10
MAX_HOURS_PER_WEEK = Decimal(40)
MAX_TASK_HOURS = Decimal(10000)
SKILL_LEVEL = 3
DUE_HOUR = dt.time(15, 0)
SCALE_UP_LANGUAGE = ("en", "B2")


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
    languages: Sequence[tuple[str, str]],
    comment: str,
) -> Task:
    return task_create_submitted(
        user=user,
        engagement=engagement,
        title=title,
        description=description,
        effort_hours=hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),  # the field keeps one place
        due_at=_due_at(due),
        skills=list(skills),
        languages=list(languages),
        comment=comment,
    )


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
    hours = (hours_per_week * working_days(first, until) / 5).quantize(Decimal("0.5"), rounding=ROUND_HALF_UP)
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
            languages=[SCALE_UP_LANGUAGE],
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
    """Experts with an assignment on one of the engagement's open tasks that has not ended."""
    return list(
        ExpertProfile.objects.filter(
            assignments__task__engagement=engagement,
            assignments__task__status__in=OPEN_STATUS_VALUES,
            assignments__ends_on__isnull=True,
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
    if len(note) > 500:
        raise DomainError(_("Keep the note under 500 characters."), field="note")
    ended = assignments_end(user=user, engagement=engagement, expert_id=expert_id, on_date=on_date, today=day)
    expert = ended[0].assignment.expert
    expert_pk = expert.pk
    change = TeamChange(engagement=engagement, kind=TeamChangeKind.RELEASE, requested_by=user, details={})
    change.save()
    hand_overs: list[int] = []
    for item in ended:
        if item.handed_over <= 0:
            continue
        task = item.assignment.task
        hand_over = _submitted_task(
            user=user,
            engagement=engagement,
            title=(_("Hand-over: %(title)s") % {"title": task.title})[:200],
            description=_("Takes over from %(name)s (%(role)s) from %(date)s: %(hours)s hours left.")
            % {
                "name": expert.display_name,
                "role": item.assignment.get_role_display(),
                "date": day_text(on_date),
                "hours": item.handed_over,
            },
            hours=max(item.handed_over, Decimal("0.5")),
            due=max(installation_date(task.due_at), on_date + dt.timedelta(days=7)),
            skills=list(TaskSkill.objects.filter(task=task).values_list("skill_id", "min_proficiency")),
            languages=list(TaskLanguage.objects.filter(task=task).values_list("language", "min_level")),
            comment=_("Hand-over after a release"),
        )
        PlannedStart.objects.create(task=hand_over, change=change, starts=on_date)
        hand_overs.append(hand_over.pk)
    cut = [
        {
            "assignment": item.assignment.pk,
            "task_id": item.assignment.task_id,
            "planned_before": str(item.planned_before),
            "planned_after": str(item.assignment.planned_hours),
            "ends_on": item.assignment.ends_on.isoformat() if item.assignment.ends_on else None,
        }
        for item in ended
    ]
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
