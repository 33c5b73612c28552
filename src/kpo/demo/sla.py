"""Service levels and a dispute in the demo world.

Every demo engagement gets an SLA policy. A task's delivery falls due on its own due date, so the seeding
moves due dates, not allowances: at the seeding moment (the demo's "now") every running delivery clock has
at least twice the business hours its remaining effort needs, except one task at risk (its remaining
effort needs about 90 % of the hours left) and one breached (due the working day before), the tasks the
catalogue marks so (`TaskSpec.sla`). Response allowances are twice the longest any running response clock
has used, in whole working days, so weekends and holidays before the seeding moment cannot tip a clock
over: the world shows the same states whenever it is seeded. One delivered task carries a dispute that
waits for the provider's answer. The states are computed against the real clock when the pages are viewed,
so as the days pass after seeding the at-risk task breaches too.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from kpo.demo.catalogue import ENGAGEMENTS
from kpo.demo.reference import demo_now
from kpo.engine.business_calendar import BusinessCalendar
from kpo.engine.dates import date_in
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Membership
from kpo.sla.models import Dispute, SlaPolicy
from kpo.sla.selectors import RESPONSE, TaskSla, remaining_effort_per_maker, task_slas
from kpo.sla.services.disputes import dispute_open
from kpo.work.models import Engagement, Task, TaskStatus

RESPONSE_HOURS = Decimal(16)
WORKING_DAY = 8
AT_RISK_NEED = 0.9  # share of the hours left that the at-risk task's remaining effort needs
SLACK = 2.0  # on-track tasks: hours left at least this many times their remaining effort


def seed_sla() -> Counter[str]:
    written: Counter[str] = Counter()
    engagements = list(Engagement.objects.select_related("client", "provider").order_by("id"))
    for engagement in engagements:
        SlaPolicy.objects.create(engagement=engagement, response_hours=RESPONSE_HOURS)
        written["sla_policies"] += 1
    running = _running_clocks(engagements)
    _room_to_spare(running)
    delivering = [sla for sla in running if sla.delivery is not None]
    remaining = remaining_effort_per_maker([sla.task for sla in delivering])
    candidates = [  # never on hold: their deadline is the due date itself
        sla
        for sla in delivering
        if remaining[sla.task.pk] >= 4 and sla.delivery is not None and sla.delivery.due == sla.task.due_at
    ]
    risky = _named(candidates, "at_risk")
    late = _named([sla for sla in candidates if sla is not risky], "breached")
    for sla in delivering:
        need = remaining[sla.task.pk]
        if sla is risky:
            due = sla.calendar.add_business_hours(demo_now(), need / AT_RISK_NEED)
        elif sla is late:
            due = demo_now() - timedelta(days=1)
        else:
            due = max(sla.task.due_at, _after_business_hours(sla.calendar, SLACK * need + WORKING_DAY))
        Task.objects.filter(pk=sla.task.pk).update(due_at=due)
    written += _dispute()
    return written


def _named(candidates: list[TaskSla], state: str) -> TaskSla | None:
    """The candidate the catalogue names for `state`, else the first (in id order)."""
    named = {(e.title, t.title) for e in ENGAGEMENTS for t in e.tasks if t.sla == state}
    found = (sla for sla in candidates if (sla.task.engagement.title, sla.task.title) in named)
    return next(found, next(iter(candidates), None))


def _after_business_hours(calendar: BusinessCalendar, hours: float) -> datetime:
    """The close of the working day in which `hours` business hours from the demo's now run out."""
    moment = calendar.add_business_hours(demo_now(), hours)
    return max(moment, calendar.working_window(date_in(moment, calendar.zone))[1])


def _whole_days(hours: float) -> Decimal:
    return Decimal(WORKING_DAY * math.ceil(hours / WORKING_DAY))


def _running_clocks(engagements: list[Engagement]) -> list[TaskSla]:
    tasks = Task.objects.filter(engagement__in=engagements).select_related(
        "engagement", "engagement__provider", "engagement__sla_policy"
    )
    return [sla for sla in task_slas(list(tasks.order_by("id")), demo_now()).values() if sla.running]


def _room_to_spare(running: list[TaskSla]) -> None:
    """Raise each engagement's response allowance to twice the longest its running clocks have used."""
    longest: dict[int, float] = {}
    for sla in running:
        if sla.current is not None and sla.clock_name == RESPONSE:
            engagement_id = sla.task.engagement_id
            longest[engagement_id] = max(longest.get(engagement_id, 0.0), sla.current.used_hours)
    for engagement_id, used in longest.items():
        allowance = max(RESPONSE_HOURS, _whole_days(2 * used))
        if allowance > RESPONSE_HOURS:
            SlaPolicy.objects.filter(engagement_id=engagement_id).update(response_hours=allowance)


def _dispute() -> Counter[str]:
    task = (
        Task.objects.filter(status=TaskStatus.DELIVERED)
        .select_related("engagement", "engagement__provider", "engagement__client")
        .order_by("id")
        .first()
    )
    if task is None:
        return Counter()
    requester = (
        Membership.objects.filter(organisation_id=task.engagement.client_id, role=Role.REQUESTER.value)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if requester is None:
        return Counter()
    opened = demo_now() - timedelta(hours=2)
    dispute = dispute_open(
        user=requester.user,
        task=task,
        reason=(
            "The delivered analysis uses last year's figures in its second section, although the brief "
            "pointed to the current ones. We ask for the section to be redone or a partial credit."
        ),
        now=opened,
    )
    Dispute.objects.filter(pk=dispute.pk).update(created_at=opened, updated_at=opened)
    return Counter(disputes=1)
