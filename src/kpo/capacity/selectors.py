"""Reads for the capacity page, its CSV and the API: one report, computed by `kpo.engine.capacity` from
a fixed number of queries whatever the number of experts (experts, their skills, their domains, their
absences, their open assignments; for managers also the open tasks they could staff them on).

Weeks are ISO weeks on the installation's calendar (the same for everyone, so the page, the CSV and the
API agree); each expert's days off are their own country's public holidays (`kpo.sla.selectors`'s
working calendar, as SLA clocks and overlap windows use) and their declared absences; a working day holds
the hours a week the expert states on their profile (as the staffing picker counts them) over the
calendar's working days. Assignments count while their task is open; each runs from the day it was made
to its task's due date, both read in the expert's own time zone, or to its last day when the expert was
released (`Assignment.ends_on`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from kpo.capacity.models import Absence, Team, TeamMember
from kpo.core.types import AnyUser
from kpo.engine.business_calendar import BusinessCalendar
from kpo.engine.capacity import (
    BENCH_MIN_HOURS,
    BENCH_WEEKS,
    CARRY_DAYS,
    Booking,
    Span,
    TeamWeek,
    WeekLoad,
    expert_weeks,
    free_within,
    team_weeks,
    week_starts,
)
from kpo.engine.dates import date_in
from kpo.experts.models import DomainChoice, ExpertDomain, ExpertProfile, ExpertSkill, ExpertStatus
from kpo.matching.picker_views import picker_url
from kpo.sla.selectors import working_calendar
from kpo.work.access import tasks_visible_to
from kpo.work.models import OPEN_STATUS_VALUES, Assignment, TaskSkill, TaskStatus

STAFFABLE = (TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value)
"""Tasks an expert can still be staffed on from the bench: submitted to the provider, not yet under way."""
TASKS_PER_EXPERT = 3
MAX_EXPERTS = 500
"""The page, the CSV and the API show at most this many experts (by name); the page says so."""


@dataclass(frozen=True)
class CapacityFilter:
    domain: str = ""
    skill_id: int | None = None
    free_weeks: int | None = None  # 2 or 4: only experts on the bench for that many weeks
    team_id: int | None = None  # only the members of this team, and its row alone


@dataclass(frozen=True)
class OpenTask:
    task_id: int
    title: str
    due_at: dt.datetime
    url: str


@dataclass
class ExpertCapacity:
    expert_id: int
    name: str
    headline: str
    organisation: str
    country: str
    url: str
    skills: list[str]
    domains: list[str]
    loads: list[WeekLoad]
    skill_ids: frozenset[int] = frozenset()
    tasks: list[OpenTask] = field(default_factory=list)
    """Open tasks of the viewer's providers that need one of the expert's skills (managers only)."""

    @property
    def free_2(self) -> float:
        return free_within(self.loads, BENCH_WEEKS[0])

    @property
    def free_4(self) -> float:
        return free_within(self.loads, BENCH_WEEKS[1])

    @property
    def staff_url(self) -> str:
        """The staffing picker of the first open task needing the expert's skills, searched for the
        expert; else the expert's profile."""
        if self.tasks:
            return self.tasks[0].url
        return self.url


@dataclass(frozen=True)
class TeamCapacity:
    """A team's weeks summed over its members among the experts listed (so the filters apply to it)."""

    team_id: int
    name: str
    organisation: str
    members: int
    loads: list[TeamWeek]


@dataclass(frozen=True)
class CapacityReport:
    today: dt.date
    weeks: list[dt.date]
    rows: list[ExpertCapacity]
    truncated: bool
    teams: list[TeamCapacity] = field(default_factory=list)

    def bench(self, weeks: int) -> list[ExpertCapacity]:
        """Experts with at least a working day free in the first `weeks` weeks, the freest first."""
        free = {row.expert_id: free_within(row.loads, weeks) for row in self.rows}
        chosen = [row for row in self.rows if free[row.expert_id] >= BENCH_MIN_HOURS]
        return sorted(chosen, key=lambda row: (-free[row.expert_id], row.name, row.expert_id))


def _experts(provider_ids: Collection[int], filters: CapacityFilter) -> QuerySet[ExpertProfile]:
    queryset = ExpertProfile.objects.filter(
        organisation_id__in=list(provider_ids), status=ExpertStatus.ACTIVE
    )
    if filters.domain:
        queryset = queryset.filter(domains__domain=filters.domain)
    if filters.skill_id is not None:
        queryset = queryset.filter(skills__skill_id=filters.skill_id)
    if filters.team_id is not None:
        queryset = queryset.filter(team_memberships__team_id=filters.team_id)
    return (
        queryset.distinct()
        .select_related("user", "organisation")
        .prefetch_related(
            Prefetch(
                "skills", ExpertSkill.objects.select_related("skill").order_by("-proficiency", "skill__label")
            ),
            Prefetch("domains", ExpertDomain.objects.order_by("domain")),
        )
        .order_by("user__last_name", "user__first_name", "id")
    )


def _zone(expert: ExpertProfile) -> dt.tzinfo:
    return working_calendar(expert.country, expert.time_zone).zone


def _day_hours(expert: ExpertProfile, calendar: BusinessCalendar) -> float:
    """The hours of one working day: the expert's stated weekly hours over their working days."""
    return float(expert.weekly_capacity_hours) / len(calendar.working_days)


def expert_loads(
    experts: Sequence[ExpertProfile], *, today: dt.date, weeks: int
) -> dict[int, list[WeekLoad]]:
    """Each expert's capacity, committed and free hours in `weeks` ISO weeks from today's week (two
    queries): their stated weekly hours less their country's holidays and their absences, and their
    assignments on open tasks spread over the working days to each task's due date."""
    mondays = week_starts(today, weeks)
    ids = [expert.pk for expert in experts]
    bookings: dict[int, list[Booking]] = defaultdict(list)
    zones = {expert.pk: _zone(expert) for expert in experts}
    assignments = Assignment.objects.filter(
        expert_id__in=ids, task__status__in=OPEN_STATUS_VALUES
    ).values_list("expert_id", "planned_hours", "created_at", "task__due_at", "ends_on")
    earliest, latest = mondays[0], mondays[-1] + dt.timedelta(days=6)
    for expert_id, hours, created, due, ends_on in assignments:
        zone = zones[expert_id]
        booking = Booking(
            start=date_in(created, zone), due=date_in(due, zone), hours=float(hours), ends=ends_on
        )
        bookings[expert_id].append(booking)
        earliest, latest = min(earliest, booking.start), max(latest, booking.due)
    absences: dict[int, list[Span]] = defaultdict(list)
    for expert_id, start, end in Absence.objects.filter(
        expert_id__in=ids, end__gte=earliest, start__lte=latest + dt.timedelta(days=CARRY_DAYS)
    ).values_list("expert_id", "start", "end"):
        absences[expert_id].append(Span(start, end))
    loads = {}
    for expert in experts:
        calendar = working_calendar(expert.country, expert.time_zone)
        loads[expert.pk] = expert_weeks(
            calendar=calendar,
            absences=absences[expert.pk],
            bookings=bookings[expert.pk],
            today=today,
            weeks=weeks,
            day_hours=_day_hours(expert, calendar),
        )
    return loads


def capacity_report(
    provider_ids: Collection[int],
    *,
    today: dt.date,
    weeks: int,
    filters: CapacityFilter = CapacityFilter(),
    staffing_user: AnyUser | None = None,
    staffing_provider_ids: Collection[int] = (),
) -> CapacityReport:
    """Capacity of the active experts of `provider_ids` over `weeks` ISO weeks from `today`'s week.

    With `staffing_user`, each expert also gets the open tasks of `staffing_provider_ids` (that user's
    managed providers) needing one of their skills, the soonest due first.
    """
    mondays = week_starts(today, weeks)
    experts = list(_experts(provider_ids, filters)[: MAX_EXPERTS + 1])
    truncated = len(experts) > MAX_EXPERTS
    experts = experts[:MAX_EXPERTS]
    loads_of = expert_loads(experts, today=today, weeks=weeks)
    domain_labels = dict(DomainChoice.choices)
    rows = []
    for expert in experts:
        loads = loads_of[expert.pk]
        skills = list(expert.skills.all())
        rows.append(
            ExpertCapacity(
                expert_id=expert.pk,
                name=expert.display_name,
                headline=expert.headline,
                organisation=expert.organisation.name,
                country=expert.country,
                url=reverse("expert_detail", kwargs={"expert_id": expert.pk}),
                skills=[skill.skill.label for skill in skills],
                skill_ids=frozenset(skill.skill_id for skill in skills),
                domains=[str(domain_labels.get(d.domain, d.domain)) for d in expert.domains.all()],
                loads=loads,
            )
        )
    if filters.free_weeks:
        rows = [row for row in rows if free_within(row.loads, filters.free_weeks) >= BENCH_MIN_HOURS]
    if staffing_user is not None and staffing_provider_ids:
        _attach_tasks(rows, staffing_user, staffing_provider_ids)
    teams = _team_rows(provider_ids, filters.team_id, rows, mondays)
    return CapacityReport(today=today, weeks=mondays, rows=rows, truncated=truncated, teams=teams)


def teams_of(provider_ids: Collection[int]) -> QuerySet[Team]:
    """The teams of these providers, by name."""
    return Team.objects.filter(organisation_id__in=list(provider_ids)).order_by("name", "id")


def team_list(provider_ids: Collection[int]) -> QuerySet[Team]:
    """The teams of these providers with their member counts (one query)."""
    return teams_of(provider_ids).select_related("organisation").annotate(member_count=Count("memberships"))


def _team_rows(
    provider_ids: Collection[int], team_id: int | None, rows: Sequence[ExpertCapacity], mondays: list[dt.date]
) -> list[TeamCapacity]:
    """Each team's weeks over its members among `rows` (two queries)."""
    teams = teams_of(provider_ids).select_related("organisation")
    if team_id is not None:
        teams = teams.filter(id=team_id)
    teams_listed = list(teams)
    loads = {row.expert_id: row.loads for row in rows}
    members: dict[int, list[int]] = defaultdict(list)
    for team, expert in TeamMember.objects.filter(team__in=[t.pk for t in teams_listed]).values_list(
        "team_id", "expert_id"
    ):
        if expert in loads:
            members[team].append(expert)
    return [
        TeamCapacity(
            team_id=team.pk,
            name=team.name,
            organisation=team.organisation.name,
            members=len(members[team.pk]),
            loads=team_weeks(mondays, [loads[expert] for expert in members[team.pk]]),
        )
        for team in teams_listed
    ]


def _attach_tasks(rows: list[ExpertCapacity], user: AnyUser, provider_ids: Collection[int]) -> None:
    tasks = (
        tasks_visible_to(user)
        .filter(engagement__provider_id__in=list(provider_ids), status__in=STAFFABLE)
        .prefetch_related(Prefetch("required_skills", TaskSkill.objects.only("task_id", "skill_id")))
        .only("id", "title", "due_at")
        .order_by("due_at", "id")[:200]
    )
    needs = [(task, frozenset(s.skill_id for s in task.required_skills.all())) for task in tasks]
    for row in rows:
        for task, skill_ids in needs:
            if skill_ids & row.skill_ids:
                row.tasks.append(OpenTask(task.pk, task.title, task.due_at, picker_url(task, row.name)))
                if len(row.tasks) >= TASKS_PER_EXPERT:
                    break


def absences_of(expert: ExpertProfile, today: dt.date) -> QuerySet[Absence]:
    """The expert's absences that have not ended yet, soonest first."""
    return Absence.objects.filter(expert=expert, end__gte=today).order_by("start", "id")
