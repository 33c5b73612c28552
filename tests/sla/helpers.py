"""Shared set-up for the SLA tests: providers in four countries and tasks with a recorded history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from kpo.orgs.models import Membership, Organisation
from kpo.sla.models import SlaPolicy
from kpo.work.models import Engagement, Task, TaskTransition
from tests.cast import Cast

UTC = dt.UTC
PROVIDERS = {
    "DK": "Europe/Copenhagen",
    "IN": "Asia/Kolkata",
    "PL": "Europe/Warsaw",
    "PH": "Asia/Manila",
}


def provider(country: str, *, manager: User | None = None) -> Organisation:
    org = Organisation.objects.create(
        slug=f"prov-{country.lower()}",
        name=f"Provider {country}",
        kind="provider",
        provider_type="third_party",
        country=country,
        time_zone=PROVIDERS[country],
        currency="EUR",
    )
    if manager is not None:
        Membership.objects.create(user=manager, organisation=org, role="provider_manager")
    return org


def engagement(cast: Cast, provider_org: Organisation, **policy: Any) -> Engagement:
    found = Engagement.objects.create(
        client=cast.org_a,
        provider=provider_org,
        title=f"Study with {provider_org.name}",
        objective="Objective.",
        domain="technical_analysis",
        budget=Decimal(1000),
        currency="DKK",
        start_date=dt.date(2026, 1, 1),
        created_by=cast.alice,
    )
    if policy:
        SlaPolicy.objects.create(engagement=found, **policy)
    return found


def task_with_history(
    cast: Cast,
    engagement_: Engagement,
    steps: list[tuple[str, str, dt.datetime]],
    *,
    title: str = "Task",
    due: dt.datetime | None = None,
    effort: int = 8,
) -> Task:
    """A task whose transitions are `steps` of (from, to, at); its status is the last `to`."""
    task = Task.objects.create(
        engagement=engagement_,
        title=title,
        description="Describe.",
        effort_hours=Decimal(effort),
        due_at=due or timezone.now() + dt.timedelta(days=30),
        status=steps[-1][1] if steps else "draft",
        created_by=cast.bob,
    )
    for source, target, at in steps:
        TaskTransition.objects.create(task=task, actor=cast.bob, from_status=source, to_status=target, at=at)
    return task


def at(zone: str, *args: int) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]
