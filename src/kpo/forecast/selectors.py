"""Reads for the demand forecast: the engine's inputs from the database, as known at a moment, and the
provider's free hours.

`demand_inputs` reads a fixed number of queries whatever the number of engagements; with `known_at` in
the past (the backtest) it reads what was known then: tasks whose last transition before that moment
left them submitted or in staffing, approved time dated before the first forecast day, assignments made
before that moment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from kpo.capacity.selectors import expert_loads
from kpo.core.clock import installation_date
from kpo.economics.commercials.money import ConversionError, rate_on
from kpo.economics.commercials.selectors.rate_cards import RateBook
from kpo.engine.forecast import (
    EngagementBurn,
    Forecast,
    Method,
    WaitingTask,
    forecast,
    monday_of,
    shortfall,
)
from kpo.experts.models import EscoSkill, ExpertDomain, ExpertProfile, ExpertSkill, ExpertStatus
from kpo.forecast.access import ForecastScope, forecast_engagements
from kpo.forecast.models import PlannedStart
from kpo.work.models import (
    OPEN_STATUS_VALUES,
    Assignment,
    Engagement,
    Task,
    TaskSkill,
    TaskStatus,
    TaskTransition,
    TimeEntry,
    TimeEntryStatus,
)

WAITING = (TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value)
"""A task submitted but not yet staffed."""


@dataclass(frozen=True)
class DemandInputs:
    tasks: list[WaitingTask]
    burns: list[EngagementBurn]
    rates: dict[int, Decimal | None]  # per engagement: the hourly rate its fundable hours were read at


def _waiting_at(engagement_ids: Collection[int], known_at: dt.datetime | None) -> list[Task]:
    tasks = Task.objects.filter(engagement_id__in=engagement_ids)
    if known_at is None:
        return list(tasks.filter(status__in=WAITING).order_by("id"))
    last: dict[int, str] = {}
    for task_id, status in (
        TaskTransition.objects.filter(task__engagement_id__in=engagement_ids, at__lt=known_at)
        .order_by("at", "id")
        .values_list("task_id", "to_status")
    ):
        last[task_id] = status
    waiting = [pk for pk, status in last.items() if status in WAITING]
    return list(tasks.filter(id__in=waiting).order_by("id"))


def _rates(
    engagements: Sequence[Engagement], day: dt.date, known_at: dt.datetime | None
) -> dict[int, Decimal | None]:
    """Each engagement's hourly rate: the mean bill rate (rate card, else profile) of the experts assigned
    to its tasks, in the engagement's currency; None with nobody assigned or no exchange rate."""
    assignments = Assignment.objects.filter(task__engagement__in=engagements).select_related("expert", "task")
    if known_at is not None:
        assignments = assignments.filter(created_at__lt=known_at)
    experts: dict[int, dict[int, ExpertProfile]] = defaultdict(dict)
    for assignment in assignments.order_by("id"):
        experts[assignment.task.engagement_id][assignment.expert_id] = assignment.expert
    book = RateBook({engagement.provider_id for engagement in engagements})
    rates: dict[int, Decimal | None] = {}
    for engagement in engagements:
        values = []
        for expert in experts.get(engagement.pk, {}).values():
            rate = book.bill_rate(provider_id=engagement.provider_id, expert=expert, day=day)
            try:
                values.append(rate.amount * rate_on(rate.currency, engagement.currency, day)[0])
            except ConversionError:
                continue
        rates[engagement.pk] = sum(values, Decimal(0)) / len(values) if values else None
    return rates


def demand_inputs(
    engagements: Sequence[Engagement],
    *,
    first_day: dt.date,
    history_weeks: int,
    known_at: dt.datetime | None = None,
) -> DemandInputs:
    """The forecast engine's inputs for `engagements` from `first_day` on (about eight queries)."""
    ids = [engagement.pk for engagement in engagements]
    first_monday = monday_of(first_day)
    since = first_monday - dt.timedelta(weeks=history_weeks)
    waiting = _waiting_at(ids, known_at)
    waiting_ids = [task.pk for task in waiting]
    logged: dict[int, Decimal] = dict(
        TimeEntry.objects.filter(task_id__in=waiting_ids, date__lt=first_day)
        .exclude(status=TimeEntryStatus.REJECTED)
        .values("task_id")
        .annotate(hours=Sum("hours"))
        .values_list("task_id", "hours")
    )
    starts = dict(PlannedStart.objects.filter(task_id__in=waiting_ids).values_list("task_id", "starts"))
    skills: dict[int, list[str]] = defaultdict(list)
    shares_rows: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    efforts: dict[int, Decimal] = defaultdict(Decimal)
    for engagement_id, effort in Task.objects.filter(engagement_id__in=ids).values_list(
        "engagement_id", "effort_hours"
    ):
        efforts[engagement_id] += effort
    for task_id, engagement_id, skill_id, effort in (
        TaskSkill.objects.filter(task__engagement_id__in=ids)
        .order_by("task_id", "skill_id")
        .values_list("task_id", "task__engagement_id", "skill_id", "task__effort_hours")
    ):
        skills[task_id].append(str(skill_id))
        shares_rows[engagement_id][str(skill_id)] += effort
    by_id = {engagement.pk: engagement for engagement in engagements}
    tasks = [
        WaitingTask(
            engagement=task.engagement_id,
            domain=by_id[task.engagement_id].domain,
            hours=float(max(Decimal(0), task.effort_hours - Decimal(logged.get(task.pk) or 0))),
            due=installation_date(task.due_at),
            skills=tuple(skills.get(task.pk, ())),
            starts=starts.get(task.pk),
        )
        for task in waiting
    ]
    weekly: dict[int, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    spent: dict[int, Decimal] = defaultdict(Decimal)
    for engagement_id, day, hours in TimeEntry.objects.filter(
        task__engagement_id__in=ids, status=TimeEntryStatus.APPROVED, date__lt=first_monday
    ).values_list("task__engagement_id", "date", "hours"):
        spent[engagement_id] += hours
        if day >= since:
            weekly[engagement_id][monday_of(day)] += float(hours)
    rates = _rates(engagements, first_day, known_at)
    burns = []
    for engagement in engagements:
        started = monday_of(engagement.start_date)
        weeks = [
            since + dt.timedelta(weeks=index)
            for index in range(history_weeks)
            if since + dt.timedelta(weeks=index) >= started
        ]
        rate = rates[engagement.pk]
        fundable = (
            None if rate is None or rate <= 0 else float(engagement.budget / rate - spent[engagement.pk])
        )
        total_effort = efforts.get(engagement.pk) or Decimal(0)
        shares = {
            skill: float(min(Decimal(1), effort / total_effort)) if total_effort > 0 else 0.0
            for skill, effort in shares_rows.get(engagement.pk, {}).items()
        }
        burns.append(
            EngagementBurn(
                engagement=engagement.pk,
                domain=engagement.domain,
                weekly_hours=tuple(weekly[engagement.pk].get(week, 0.0) for week in weeks),
                fundable_hours=fundable,
                ends=engagement.end_date,
                skill_shares=shares,
            )
        )
    return DemandInputs(tasks=tasks, burns=burns, rates=rates)


@dataclass(frozen=True)
class FreeHours:
    by_domain: dict[str, tuple[float, ...]]
    by_skill: dict[str, tuple[float, ...]]
    experts: int


def free_hours_per_week(
    provider_ids: Iterable[int], weeks: Sequence[dt.date], first_day: dt.date
) -> FreeHours:
    """Free hours per domain and skill and week of the providers' active experts (four queries).

    The capacity app's free hours (each expert's stated weekly hours net of their country's holidays and
    their absences, less their assignments on open tasks spread to each task's due date, never below
    zero); an expert's free hours count for each domain and skill they hold.
    """
    ids = list(provider_ids)
    experts = list(
        ExpertProfile.objects.filter(organisation_id__in=ids, status=ExpertStatus.ACTIVE).only(
            "id", "country", "time_zone", "weekly_capacity_hours"
        )
    )
    loads = expert_loads(experts, today=first_day, weeks=len(weeks))
    free = {pk: tuple(load.free for load in rows) for pk, rows in loads.items()}
    by_domain: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(weeks))
    scope = ExpertProfile.objects.filter(organisation_id__in=ids, status=ExpertStatus.ACTIVE).values("id")
    for expert_id, domain in ExpertDomain.objects.filter(expert_id__in=scope).values_list(
        "expert_id", "domain"
    ):
        for index, value in enumerate(free.get(expert_id, ())):
            by_domain[domain][index] += value
    by_skill: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(weeks))
    for expert_id, skill_id in ExpertSkill.objects.filter(expert_id__in=scope).values_list(
        "expert_id", "skill_id"
    ):
        for index, value in enumerate(free.get(expert_id, ())):
            by_skill[str(skill_id)][index] += value
    return FreeHours(
        by_domain={key: tuple(row) for key, row in by_domain.items()},
        by_skill={key: tuple(row) for key, row in by_skill.items()},
        experts=len(experts),
    )


@dataclass(frozen=True)
class DemandReport:
    """The forecast page's data: the engine's forecast, free hours and gaps (provider managers only)."""

    result: Forecast
    free: FreeHours | None
    domain_gaps: dict[str, tuple[float, ...]] | None
    skill_gaps: dict[str, tuple[float, ...]] | None
    skill_labels: dict[str, str]
    engagements: int
    rates_missing: int


def demand_report(scope: ForecastScope, *, weeks: int, today: dt.date, skill_rows: int) -> DemandReport:
    """The forecast of the scope's active engagements from today, and for a provider manager the gaps
    against the provider's free hours (a fixed number of queries)."""
    method = Method()
    engagements = list(forecast_engagements(scope).order_by("id"))
    inputs = demand_inputs(engagements, first_day=today, history_weeks=method.history_weeks)
    result = forecast(first_day=today, weeks=weeks, tasks=inputs.tasks, burns=inputs.burns, method=method)
    free = domain_gaps = skill_gaps = None
    if scope.provider_ids:
        free = free_hours_per_week(scope.provider_ids, result.weeks, today)
        domain_gaps = shortfall(result.by_domain, free.by_domain)
        skill_gaps = shortfall(result.by_skill, free.by_skill)
    top = sorted(result.by_skill, key=lambda key: -sum(result.by_skill[key]))[:skill_rows]
    labels = {
        str(pk): label
        for pk, label in EscoSkill.objects.filter(id__in=[int(k) for k in top]).values_list("id", "label")
    }
    return DemandReport(
        result=result,
        free=free,
        domain_gaps=domain_gaps,
        skill_gaps=skill_gaps,
        skill_labels=labels,
        engagements=len(engagements),
        rates_missing=sum(1 for rate in inputs.rates.values() if rate is None),
    )


def team_assignments(engagement: Engagement) -> list[Assignment]:
    """Who works on the engagement's open tasks (one query), by expert, with each assignment's last day
    when the expert was released."""
    return list(
        Assignment.objects.filter(task__engagement=engagement, task__status__in=OPEN_STATUS_VALUES)
        .select_related("expert__user", "task")
        .order_by("expert__user__first_name", "expert__user__last_name", "expert_id", "task_id", "role")
    )
