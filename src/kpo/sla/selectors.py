"""Reads: SLA policies, the SLA clocks of tasks (from their transitions), reports, disputes, and the
people to tell about them.

Definitions (shown on the pages too):
- **Response**: business hours from the task's submission to the provider's first response, which is
  the first of "staffing started" and the first message in the task's thread by a member of the
  provider's organisation.
- **Delivery**: from work started (the first move to in progress) to the first delivery to the
  client, due by the task's own due date. It is at risk while the effort still to do (the estimate
  less the hours logged, shared among the task's makers) needs more than the policy's share of the
  business hours left before the due date.
Both count in the provider's business calendar (its country's public holidays, its time zone, the
policy's working days and hours); time on hold does not count. Cancelled tasks have no SLA.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Count, F, Min, OuterRef, QuerySet, Subquery, Sum

from kpo.engine.business_calendar import (
    BusinessCalendar,
    CalendarError,
    SlaClock,
    SlaState,
    deadline_clock,
    sla_clock,
)
from kpo.engine.dates import date_in
from kpo.engine.taxonomy import Role
from kpo.engine.working_day import DAY_END, DAY_START, MONDAY_TO_FRIDAY
from kpo.orgs.selectors import members_with_roles
from kpo.sla.models import WEEKDAY_CHOICES, Dispute, DisputeStatus, SlaPolicy
from kpo.work.models import (
    Assignment,
    AssignmentRole,
    Engagement,
    Message,
    Task,
    TaskStatus,
    TaskTransition,
    TimeEntry,
    TimeEntryStatus,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RESPONSE = "response"
DELIVERY = "delivery"
NO_SLA_STATES = {TaskStatus.DRAFT.value, TaskStatus.CANCELLED.value}
OPEN_SLA_STATES = {
    TaskStatus.SUBMITTED.value,
    TaskStatus.STAFFING.value,
    TaskStatus.IN_PROGRESS.value,
    TaskStatus.IN_REVIEW.value,
    TaskStatus.CHANGES_REQUESTED.value,
    TaskStatus.ON_HOLD.value,
}
STATE_ORDER = [SlaState.MET, SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED]


def policy_for(engagement: Engagement) -> SlaPolicy:
    """The engagement's saved policy, else an unsaved one with the defaults."""
    try:
        policy: SlaPolicy = engagement.sla_policy
        return policy
    except SlaPolicy.DoesNotExist:
        return SlaPolicy(engagement=engagement)


@functools.lru_cache(maxsize=256)
def _calendar(
    country: str, time_zone: str, weekdays: frozenset[int], start: dt.time, end: dt.time
) -> BusinessCalendar:
    """The calendar, falling back to UTC for an unknown zone and to no public holidays for a country
    the `holidays` package does not cover (weekends and working hours still apply)."""
    for _attempt in range(3):
        try:
            return BusinessCalendar(country, time_zone, working_days=weekdays, day_start=start, day_end=end)
        except CalendarError as error:
            if error.field == "timezone":
                time_zone = "UTC"
            elif error.field == "country":
                country = ""
            else:
                raise
    return BusinessCalendar("", "UTC")


def working_calendar(country: str, time_zone: str) -> BusinessCalendar:
    """A person's or organisation's calendar on kpo's default working day (`kpo.engine.working_day`)."""
    return _calendar(country.upper(), time_zone, MONDAY_TO_FRIDAY, DAY_START, DAY_END)


def calendar_for(engagement: Engagement, policy: SlaPolicy) -> BusinessCalendar:
    """The provider's business calendar under this policy (country, time zone, working week and hours)."""
    provider = engagement.provider
    return _calendar(
        provider.country.upper(),
        provider.time_zone,
        policy.weekdays or MONDAY_TO_FRIDAY,
        policy.day_start,
        policy.day_end,
    )


HOLIDAYS_AHEAD_DAYS = 90


@dataclass(frozen=True)
class CalendarInForce:
    """What a page shows of the business calendar that SLA clocks count in."""

    calendar: BusinessCalendar
    working_days: list[int]
    holidays: list[tuple[dt.date, str]]  # the public holidays and closed days of the next 90 days

    @property
    def working_day_names(self) -> list[StrOrPromise]:
        names = dict(WEEKDAY_CHOICES)
        return [names[day] for day in self.working_days]


def calendar_in_force(calendar: BusinessCalendar, now: dt.datetime) -> CalendarInForce:
    today = date_in(now, calendar.zone)
    last = today + dt.timedelta(days=HOLIDAYS_AHEAD_DAYS)
    found: dict[dt.date, str] = {}
    for year in range(today.year, last.year + 1):
        found.update((day, name) for day, name in calendar.holidays_in(year).items() if today <= day <= last)
    return CalendarInForce(
        calendar=calendar, working_days=sorted(calendar.working_days), holidays=sorted(found.items())
    )


@dataclass(frozen=True)
class TaskSla:
    task: Task
    calendar: BusinessCalendar
    response: SlaClock | None = None
    delivery: SlaClock | None = None
    response_started: dt.datetime | None = None
    delivery_started: dt.datetime | None = None

    @property
    def clock_name(self) -> str | None:
        if self.delivery is not None:
            return DELIVERY
        return RESPONSE if self.response is not None else None

    @property
    def current(self) -> SlaClock | None:
        """The clock that matters now: delivery once work has started, else response."""
        return self.delivery or self.response

    @property
    def state(self) -> str | None:
        clock = self.current
        return clock.state.value if clock is not None else None

    @property
    def running(self) -> bool:
        clock = self.current
        return clock is not None and clock.finished is None


@dataclass
class _History:
    submitted: dt.datetime | None = None
    staffing: dt.datetime | None = None
    started: dt.datetime | None = None
    delivered: dt.datetime | None = None
    pauses: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)


def _histories(task_ids: list[int]) -> dict[int, _History]:
    histories: dict[int, _History] = {task_id: _History() for task_id in task_ids}
    rows = (
        TaskTransition.objects.filter(task_id__in=task_ids)
        .order_by("at", "id")
        .values_list("task_id", "from_status", "to_status", "at")
    )
    for task_id, source, target, at in rows:
        history = histories[task_id]
        if source == TaskStatus.ON_HOLD and history.pauses and history.pauses[-1][1] is None:
            history.pauses[-1] = (history.pauses[-1][0], at)
        if target == TaskStatus.ON_HOLD:
            history.pauses.append((at, None))
        elif target == TaskStatus.SUBMITTED and history.submitted is None:
            history.submitted = at
        elif target == TaskStatus.STAFFING and history.staffing is None:
            history.staffing = at
        elif target == TaskStatus.IN_PROGRESS and history.started is None:
            history.started = at
        elif target == TaskStatus.DELIVERED and history.delivered is None:
            history.delivered = at
    return histories


def _first_provider_messages(task_ids: list[int]) -> dict[int, dt.datetime]:
    rows = (
        Message.objects.filter(
            task_id__in=task_ids, author__memberships__organisation_id=F("task__engagement__provider_id")
        )
        .values("task_id")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    return {row["task_id"]: row["first"] for row in rows}


def remaining_effort_per_maker(tasks: list[Task]) -> dict[int, float]:
    """Per task: its effort estimate less the hours logged (not rejected), per maker assigned."""
    logged = (
        TimeEntry.objects.filter(task=OuterRef("pk"))
        .exclude(status=TimeEntryStatus.REJECTED)
        .values("task")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    makers = (
        Assignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.MAKER)
        .values("task")
        .annotate(total=Count("id"))
        .values("total")
    )
    rows = (
        Task.objects.filter(pk__in=[task.pk for task in tasks])
        .annotate(logged=Subquery(logged), makers=Subquery(makers))
        .values_list("pk", "effort_hours", "logged", "makers")
    )
    return {
        pk: max(0.0, float(effort) - float(spent or 0)) / max(1, makers or 0)
        for pk, effort, spent, makers in rows
    }


def task_slas(
    tasks: list[Task], now: dt.datetime, policies: dict[int, SlaPolicy] | None = None
) -> dict[int, TaskSla]:
    """The SLA clocks of `tasks` (their engagements and providers loaded) at `now`: at most four queries."""
    if not tasks:
        return {}
    if policies is None:  # select_related("engagement__sla_policy") makes this free
        policies = {task.engagement_id: policy_for(task.engagement) for task in tasks}
    running = [task for task in tasks if task.status not in NO_SLA_STATES]
    ids = [task.pk for task in running]
    histories = _histories(ids) if ids else {}
    messages = _first_provider_messages(ids) if ids else {}
    effort = remaining_effort_per_maker(running) if ids else {}
    result: dict[int, TaskSla] = {}
    for task in tasks:
        policy = policies[task.engagement_id]
        calendar = calendar_for(task.engagement, policy)
        history = histories.get(task.pk)
        if history is None or history.submitted is None:
            result[task.pk] = TaskSla(task=task, calendar=calendar)
            continue
        threshold = float(policy.at_risk_share)
        pauses = tuple(history.pauses)
        candidates = [
            moment
            for moment in (history.staffing, messages.get(task.pk))
            if moment is not None and moment >= history.submitted
        ]
        response = sla_clock(
            calendar,
            start=history.submitted,
            allowance_hours=float(policy.response_hours),
            now=now,
            finished=min(candidates) if candidates else None,
            pauses=pauses,
            threshold=threshold,
        )
        delivery = None
        if history.started is not None:
            delivery = deadline_clock(
                calendar,
                start=history.started,
                deadline=task.due_at,
                now=now,
                remaining_effort_hours=effort.get(task.pk, 0.0),
                finished=history.delivered,
                pauses=pauses,
                threshold=threshold,
            )
        result[task.pk] = TaskSla(
            task=task,
            calendar=calendar,
            response=response,
            delivery=delivery,
            response_started=history.submitted,
            delivery_started=history.started,
        )
    return result


def task_sla(task: Task, now: dt.datetime) -> TaskSla:
    return task_slas([task], now)[task.pk]


# --- the report per engagement ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClockSummary:
    finished: int
    met: int
    average_hours: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.met / self.finished if self.finished else None


@dataclass(frozen=True)
class SlaReport:
    engagement: Engagement
    policy: SlaPolicy
    calendar: BusinessCalendar
    rows: list[TaskSla]
    counts: dict[str, int]
    response: ClockSummary
    delivery: ClockSummary
    now: dt.datetime

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_share(self) -> float | None:
        return self.delivery.on_time_share


def _summary(clocks: list[SlaClock]) -> ClockSummary:
    finished = [clock for clock in clocks if clock.finished is not None]
    met = sum(1 for clock in finished if clock.state == SlaState.MET)
    average = sum(clock.used_hours for clock in finished) / len(finished) if finished else None
    return ClockSummary(finished=len(finished), met=met, average_hours=average)


def report_tasks(engagement: Engagement) -> list[Task]:
    return list(
        Task.objects.filter(engagement=engagement)
        .exclude(status__in=NO_SLA_STATES)
        .select_related("engagement", "engagement__provider")
        .order_by("created_at", "id")
    )


def sla_report(engagement: Engagement, now: dt.datetime) -> SlaReport:
    """Met / on track / at risk / breached per task (by its current clock), and on-time shares."""
    policy = policy_for(engagement)
    tasks = report_tasks(engagement)
    for task in tasks:
        task.engagement = engagement
    slas = task_slas(tasks, now, {engagement.pk: policy})
    rows = [sla for sla in slas.values() if sla.current is not None]
    counts: Counter[str] = Counter({state.value: 0 for state in STATE_ORDER})
    for row in rows:
        counts[row.state or ""] += 1
    return SlaReport(
        engagement=engagement,
        policy=policy,
        calendar=calendar_for(engagement, policy),
        rows=rows,
        counts={state.value: counts[state.value] for state in STATE_ORDER},
        response=_summary([row.response for row in rows if row.response is not None]),
        delivery=_summary([row.delivery for row in rows if row.delivery is not None]),
        now=now,
    )


# --- tasks needing attention (dashboard, escalations) -------------------------------------------------


def open_tasks_of_providers(provider_ids: set[int]) -> list[Task]:
    return list(
        Task.objects.filter(engagement__provider_id__in=provider_ids, status__in=OPEN_SLA_STATES)
        .select_related("engagement", "engagement__provider", "engagement__client", "engagement__sla_policy")
        .order_by("due_at", "id")
    )


def open_tasks() -> list[Task]:
    return list(
        Task.objects.filter(status__in=OPEN_SLA_STATES)
        .select_related(
            "engagement", "engagement__provider", "engagement__client", "engagement__sla_policy", "created_by"
        )
        .order_by("id")
    )


def tasks_needing_attention(provider_ids: set[int], now: dt.datetime, *, limit: int) -> list[TaskSla]:
    """Open tasks of these providers whose running clock is at risk or breached, most urgent first."""
    slas = task_slas(open_tasks_of_providers(provider_ids), now)
    flagged = [
        sla
        for sla in slas.values()
        if sla.running and sla.state in {SlaState.AT_RISK.value, SlaState.BREACHED.value}
    ]
    flagged.sort(
        key=lambda sla: (sla.state != SlaState.BREACHED.value, sla.current.due if sla.current else now)
    )
    return flagged[:limit]


# --- disputes ---------------------------------------------------------------------------------------


def task_disputes(task: Task) -> QuerySet[Dispute]:
    return Dispute.objects.filter(task=task).select_related("opened_by").order_by("-created_at", "-id")


def dispute_page(dispute: Dispute) -> Dispute:
    return dispute


def disputes_overdue(now: dt.datetime) -> list[Dispute]:
    """Disputes whose current step is past its deadline (provider's answer, or mediation)."""
    opened = Dispute.objects.filter(status=DisputeStatus.OPENED, response_due_at__lte=now)
    mediation = Dispute.objects.filter(status=DisputeStatus.MEDIATION, mediation_due_at__lte=now)
    return list(
        (opened | mediation)
        .select_related("task", "task__engagement", "task__engagement__client", "task__engagement__provider")
        .order_by("id")
    )


# --- people to tell ---------------------------------------------------------------------------------


def provider_managers(engagement: Engagement) -> list[User]:
    return members_with_roles(engagement.provider_id, {Role.PROVIDER_MANAGER.value})


def client_admins(engagement: Engagement) -> list[User]:
    return members_with_roles(engagement.client_id, {Role.CLIENT_ADMIN.value})


def operators() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True).order_by("id"))
