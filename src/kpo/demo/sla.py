"""Service levels and a dispute in the demo world.

Every demo engagement gets an SLA policy. At REFERENCE_MOMENT (the demo's "today") most running clocks
are on track; the delivery allowance of two engagements is set from a task's own history so that one
task there is at risk (about 90 % used) and one breached. One delivered task carries a dispute that
waits for the provider's answer. The states are computed against the real clock when the pages are
viewed, so as the days pass after REFERENCE_MOMENT the at-risk task breaches too.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from kpo.demo.reference import REFERENCE_MOMENT
from kpo.engine.taxonomy import Role
from kpo.orgs.models import Membership
from kpo.sla.models import Dispute, SlaPolicy
from kpo.sla.selectors import task_slas
from kpo.sla.services.disputes import dispute_open
from kpo.work.models import Engagement, Task, TaskStatus

GENEROUS_DELIVERY = Decimal(400)  # ten working weeks: running tasks stay on track
RESPONSE = Decimal(16)


def seed_sla() -> Counter[str]:
    written: Counter[str] = Counter()
    engagements = list(Engagement.objects.select_related("client", "provider").order_by("id"))
    for engagement in engagements:
        SlaPolicy.objects.create(
            engagement=engagement, response_hours=RESPONSE, delivery_hours=GENEROUS_DELIVERY
        )
        written["sla_policies"] += 1
    running = list(
        Task.objects.filter(engagement__in=engagements, status=TaskStatus.IN_PROGRESS)
        .select_related("engagement", "engagement__provider", "engagement__sla_policy")
        .order_by("id")
    )
    slas = task_slas(running, REFERENCE_MOMENT)
    used_by_engagement: dict[int, tuple[Task, float]] = {}
    for sla in slas.values():  # the task with the most hours used in each engagement
        if sla.delivery is None or sla.delivery.used_hours < 4:
            continue
        best = used_by_engagement.get(sla.task.engagement_id)
        if best is None or sla.delivery.used_hours > best[1]:
            used_by_engagement[sla.task.engagement_id] = (sla.task, sla.delivery.used_hours)
    chosen = list(used_by_engagement.values())[:2]
    if len(chosen) == 2:
        (_risky, risky_used), (_late, late_used) = chosen
        # at risk: about 90 % of the allowance used; breached: the allowance was 60 % of the hours used
        SlaPolicy.objects.filter(engagement_id=chosen[0][0].engagement_id).update(
            delivery_hours=Decimal(math.ceil(risky_used / 0.9 * 10) / 10)
        )
        SlaPolicy.objects.filter(engagement_id=chosen[1][0].engagement_id).update(
            delivery_hours=Decimal(max(1.0, math.floor(late_used * 0.6 * 10) / 10))
        )
    written += _dispute()
    return written


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
    opened = REFERENCE_MOMENT - timedelta(hours=2)
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
