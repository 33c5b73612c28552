"""Weeks of approved time behind each running engagement of the demo world, for the demand forecast.

The catalogue's tasks are recent (their work spans a few weeks), so on their own they leave the
forecast and its backtest (`bench/forecast.py`) almost no history to read. Each engagement that is still
active therefore gets one long-running task, "Running delivery: <its title>", started the day after the
engagement, staffed with one of its makers and its reviewer, and in progress since: its maker logged
approved time on every working day of every complete week since, its reviewer an hour or two each week.

The weekly hours follow a pattern of the engagement's own (seeded): a base level, a trend, a busier
week every fourth week and noise, none of it tied to the calendar. History is kept to at most 10 % of
what the engagement's budget buys at the maker's bill rate, so budgets keep room and their levels are the
same whenever the world is seeded (tests/sla/test_demo.py, at every hostile instant).
Deterministic: the same seed at the same moment writes the same hours.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kpo.demo.catalogue import TIME_ENTRY_NOTES, EngagementSpec, TaskSpec
from kpo.demo.engagements import Cast, Pending, Replay, _step
from kpo.demo.reference import demo_now, demo_today
from kpo.economics.commercials.money import ConversionError, rate_on
from kpo.engine.lifecycle import TaskState
from kpo.experts.models import ExpertProfile
from kpo.work.models import (
    Assignment,
    AssignmentRole,
    Engagement,
    EngagementStatus,
    Task,
    TaskLanguage,
    TaskSkill,
    TimeEntry,
    TimeEntryStatus,
)

S = TaskState
TITLE = "Running delivery"
DESCRIPTION = (
    "The engagement's running work between the scoped tasks: answering the client's questions, keeping "
    "the analyses and models current and preparing the next pieces of work."
)
MAX_WEEKS = 30
BUDGET_SHARE = Decimal("0.1")  # history may spend at most this share of the budget
HALF = Decimal("0.5")


def _half_hours(value: float) -> Decimal:
    return (Decimal(str(value)) / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF


def _mondays(start: date, today: date) -> list[date]:
    """The Mondays of the complete weeks before today's week that begin after `start`, counted by whole
    weeks between the two days, so the same for a world seeded on any weekday of any date (the demo's
    dates are laid back from the moment it is seeded)."""
    this_week = today - timedelta(days=today.weekday())
    count = max(0, (today - start).days // 7 - 1)
    return [this_week - timedelta(weeks=back) for back in range(min(count, MAX_WEEKS), 0, -1)]


def weekly_pattern(rng: random.Random, mondays: Sequence[date]) -> list[float]:
    """Hours per week: a base level, a trend, a peak every fourth week counting back from the last (the
    weeks a month closes, as a client's reporting would fall) and noise; nothing in it depends on the
    calendar, so a world seeded on any date spends the same."""
    base = rng.uniform(14, 30)
    trend = rng.uniform(-0.015, 0.035)
    hours = []
    for index in range(len(mondays)):
        level = base * (1 + trend * index)
        if (len(mondays) - 1 - index) % 4 == 0:
            level *= 1.3
        hours.append(max(4.0, min(37.5, level * rng.uniform(0.8, 1.2))))
    return hours


def _cast(engagement: Engagement) -> Cast | None:
    makers = list(
        ExpertProfile.objects.filter(
            assignments__task__engagement=engagement, assignments__role=AssignmentRole.MAKER
        )
        .distinct()
        .order_by("id")
    )
    reviewer = (
        ExpertProfile.objects.filter(
            assignments__task__engagement=engagement, assignments__role=AssignmentRole.REVIEWER
        )
        .order_by("id")
        .first()
    )
    assignment = Assignment.objects.filter(task__engagement=engagement).select_related("assigned_by").first()
    task = Task.objects.filter(engagement=engagement).select_related("created_by").order_by("id").first()
    if not makers or reviewer is None or assignment is None or task is None:
        return None
    return Cast(
        admin=engagement.created_by,
        requester=task.created_by,
        manager=assignment.assigned_by,
        makers=makers,
        reviewer=reviewer,
    )


def _hour_limit(engagement: Engagement, maker: ExpertProfile, today: date) -> Decimal | None:
    """Hours the share of the budget buys at the maker's bill rate (None: no rate to convert)."""
    try:
        rate = maker.bill_rate * rate_on(maker.rate_currency, engagement.currency, today)[0]
    except ConversionError:
        return None
    return engagement.budget * BUDGET_SHARE / rate if rate > 0 else None


def _skills(engagement: Engagement) -> list[tuple[int, int]]:
    """The skills of the engagement's largest task (core skills of one occupation, as every demo task
    asks), with the proficiency it asks."""
    largest = Task.objects.filter(engagement=engagement).order_by("-effort_hours", "id").values("id")[:1]
    levels: dict[int, int] = {}
    for skill, level in TaskSkill.objects.filter(task__in=largest).values_list("skill_id", "min_proficiency"):
        levels[skill] = max(level, levels.get(skill, 0))
    return sorted(levels.items())


def seed_history(engagements: Sequence[EngagementSpec], rng: random.Random) -> Counter[str]:
    """Write each active engagement's running task and its weeks of approved time."""
    written: Counter[str] = Counter()
    today = demo_today()
    titles = {spec.title: spec for spec in engagements}
    for engagement in Engagement.objects.filter(status=EngagementStatus.ACTIVE).order_by("id"):
        spec = titles.get(engagement.title)
        cast = _cast(engagement)
        if spec is None or cast is None:
            continue
        written += _running_task(
            engagement, spec, cast, random.Random(f"{rng.random()}-{engagement.title}"), today
        )
    return written


def _running_task(
    engagement: Engagement, spec: EngagementSpec, cast: Cast, rng: random.Random, today: date
) -> Counter[str]:
    mondays = _mondays(engagement.start_date, today)
    if not mondays:
        return Counter()
    maker = cast.makers[rng.randrange(len(cast.makers))]
    hours = weekly_pattern(rng, mondays)
    limit = _hour_limit(engagement, maker, today)
    total = sum(hours)
    if limit is not None and total > float(limit):
        hours = [value * float(limit) / total for value in hours]
    started = datetime.combine(engagement.start_date, time(8, 0), tzinfo=UTC) + timedelta(days=1)
    ends = engagement.end_date
    due = demo_now() + timedelta(days=84) if ends is None else datetime.combine(ends, time(15, 0), tzinfo=UTC)
    effort = _half_hours(sum(hours) * 1.6)
    skills = _skills(engagement)  # before the running task joins the engagement's tasks
    task = Task(
        engagement=engagement,
        title=f"{TITLE}: {engagement.title}"[:200],
        description=DESCRIPTION,
        effort_hours=min(Decimal(10000), max(effort, Decimal(1))),
        due_at=due.replace(minute=0, second=0, microsecond=0),
        created_by=cast.requester,
    )
    task.full_clean()
    task.save()
    pending = Pending()
    pending.stamp(task, started - timedelta(hours=2))
    TaskLanguage.objects.create(task=task, language="en", min_level="B2")
    TaskSkill.objects.bulk_create(
        TaskSkill(task=task, skill_id=skill, min_proficiency=level) for skill, level in skills
    )
    task_spec = TaskSpec(task.title, DESCRIPTION, (S.SUBMITTED, S.STAFFING, S.IN_PROGRESS), int(effort), "")
    replay = Replay(task, task_spec, spec, cast, maker, rng, pending)
    replay.written["tasks"] += 1
    state = S.DRAFT
    for step, target in enumerate(task_spec.path):
        state, _resume = _step(replay, state, target, None, started + timedelta(hours=step))
    task.status = state.value
    task.save(update_fields=["status"])
    entries: list[TimeEntry] = []
    for monday, week_hours in zip(mondays, hours, strict=True):
        per_day = _half_hours(week_hours / 5)
        days = [monday + timedelta(days=offset) for offset in range(5)]
        for day in days:
            if per_day < HALF or (ends is not None and day > ends):
                continue
            entries.append(_entry(task, maker, day, per_day, rng.choice(TIME_ENTRY_NOTES)))
        review = _half_hours(rng.choice((1.0, 1.5, 2.0)))
        entries.append(_entry(task, cast.reviewer, days[4], review, "Quality review"))
    for entry in entries:
        entry.full_clean()
    TimeEntry.objects.bulk_create(entries)
    for entry in TimeEntry.objects.filter(task=task):
        pending.stamp(entry, datetime.combine(entry.date, time(15, 30), tzinfo=UTC))
    pending.flush()
    replay.written["time_entries"] += len(entries)
    return replay.written


def _entry(task: Task, expert: ExpertProfile, day: date, hours: Decimal, note: str) -> TimeEntry:
    return TimeEntry(
        task=task,
        expert=expert,
        date=day,
        hours=hours,
        description=note,
        status=TimeEntryStatus.APPROVED,
    )
