"""Absences in the demo world, so the capacity page's heat map shows weeks off as well as busy weeks.

In each provider, the first experts by id get one absence each, laid out from the seeding moment's
week: a week of leave in three weeks, two days of training next week, a fortnight of leave in six
weeks, a day off in two weeks (cycling). Deterministic: the same world gives the same absences.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from kpo.capacity.models import Absence
from kpo.demo.reference import demo_today
from kpo.engine.capacity import monday_of
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.orgs.models import Organisation, OrganisationKind

PER_PROVIDER = 6
# (weeks from this week's Monday, first weekday, days, reason)
PATTERN = (
    (3, 0, 5, "Annual leave"),
    (1, 2, 2, "Training course"),
    (6, 0, 12, "Summer leave"),
    (2, 4, 1, "Day off"),
)


def seed_capacity(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    monday = monday_of(demo_today())
    providers = sorted(
        (org for org in organisations.values() if org.kind == OrganisationKind.PROVIDER), key=lambda o: o.pk
    )
    for provider in providers:
        experts = (
            ExpertProfile.objects.filter(organisation=provider, status=ExpertStatus.ACTIVE)
            .select_related("user")
            .order_by("id")[:PER_PROVIDER]
        )
        for index, expert in enumerate(experts):
            weeks, weekday, days, reason = PATTERN[index % len(PATTERN)]
            start = monday + timedelta(weeks=weeks, days=weekday)
            Absence.objects.create(
                expert=expert,
                start=start,
                end=start + timedelta(days=days - 1),
                reason=reason,
                declared_by=expert.user,
            )
            written["absences"] += 1
    return written
