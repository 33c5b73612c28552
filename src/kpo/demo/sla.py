"""Service levels and a dispute in the demo world.

Every demo engagement gets an SLA policy. At the seeding moment (the demo's "now") every running clock is
on track but two: the delivery allowance of two engagements is set from a task's own history so that one
task there is at risk (about 90 % used) and one breached. The other allowances are set from the hours
their clocks have used, twice the longest in whole working days, so weekends and holidays before the
seeding moment cannot tip a clock over: the world shows the same states whenever it is seeded. One
delivered task carries a dispute that waits for the provider's answer. The states are computed against
the real clock when the pages are viewed, so as the days pass after seeding the at-risk task breaches too.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from kpo.demo.reference import demo_now
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Membership
from kpo.sla.models import Dispute, SlaPolicy
from kpo.sla.selectors import RESPONSE, TaskSla, task_slas
from kpo.sla.services.disputes import dispute_open
from kpo.work.models import Engagement, Task, TaskStatus

GENEROUS_DELIVERY = Decimal(400)  # ten working weeks: running tasks stay on track
RESPONSE_HOURS = Decimal(16)
WORKING_DAY = 8


def seed_sla() -> Counter[str]:
    written: Counter[str] = Counter()
    engagements = list(Engagement.objects.select_related("client", "provider").order_by("id"))
    for engagement in engagements:
        SlaPolicy.objects.create(
            engagement=engagement, response_hours=RESPONSE_HOURS, delivery_hours=GENEROUS_DELIVERY
        )
        written["sla_policies"] += 1
    running = _running_clocks(engagements)
    _room_to_spare(running)
    alone = _alone_on_delivery(running)
    if len(alone) >= 2:
        (risky, risky_used), (late, late_used) = alone[:2]
        # at risk: about 90 % of the allowance used; breached: the allowance was 60 % of the hours used
        SlaPolicy.objects.filter(engagement_id=risky.engagement_id).update(
            delivery_hours=Decimal(math.ceil(risky_used / 0.9 * 10) / 10)
        )
        SlaPolicy.objects.filter(engagement_id=late.engagement_id).update(
            delivery_hours=Decimal(max(1.0, math.floor(late_used * 0.6 * 10) / 10))
        )
    written += _dispute()
    return written


def _whole_days(hours: float) -> Decimal:
    return Decimal(WORKING_DAY * math.ceil(hours / WORKING_DAY))


def _running_clocks(engagements: list[Engagement]) -> list[TaskSla]:
    tasks = Task.objects.filter(engagement__in=engagements).select_related(
        "engagement", "engagement__provider", "engagement__sla_policy"
    )
    return [sla for sla in task_slas(list(tasks.order_by("id")), demo_now()).values() if sla.running]


def _room_to_spare(running: list[TaskSla]) -> None:
    """Raise each engagement's allowances to twice the longest its running clocks have used so far."""
    longest: dict[tuple[int, str], float] = {}
    for sla in running:
        if sla.current is not None and sla.clock_name is not None:
            key = (sla.task.engagement_id, sla.clock_name)
            longest[key] = max(longest.get(key, 0.0), sla.current.used_hours)
    for (engagement_id, clock_name), used in longest.items():
        if clock_name == RESPONSE:
            field, floor = "response_hours", RESPONSE_HOURS
        else:
            field, floor = "delivery_hours", GENEROUS_DELIVERY
        allowance = max(floor, _whole_days(2 * used))
        if allowance > floor:
            SlaPolicy.objects.filter(engagement_id=engagement_id).update(**{field: allowance})


def _alone_on_delivery(running: list[TaskSla]) -> list[tuple[Task, float]]:
    """Tasks whose delivery clock is the only one running in their engagement (and has used 4 hours or
    more): changing that engagement's allowance changes the state of this task alone."""
    by_engagement: dict[int, list[TaskSla]] = {}
    for sla in running:
        if sla.delivery is not None:
            by_engagement.setdefault(sla.task.engagement_id, []).append(sla)
    return [
        (slas[0].task, slas[0].delivery.used_hours)
        for slas in by_engagement.values()
        if len(slas) == 1 and slas[0].delivery is not None and slas[0].delivery.used_hours >= 4
    ]


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
