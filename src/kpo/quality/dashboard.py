"""The quality dashboard's numbers: the delivered tasks in a user's scope as outcomes, and their rates
overall, per month and per provider, client, domain or expert (kpo.engine.quality_rates counts).

A task counts in the month its first delivery falls in, on the installation's calendar (every organisation
reads the same month); it was on time when that first delivery came by its due time, and reworked when
its reviewer sent it back or the client asked for changes at least once. Seven queries, whatever the
number of tasks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from django.db.models import Min, Q
from django.urls import reverse

from kpo.core.clock import installation_date, installation_zone
from kpo.core.types import AnyUser
from kpo.engine.lifecycle import TaskState
from kpo.engine.quality_rates import (
    Rates,
    TaskOutcome,
    by_month,
    month_start,
    months_back,
    rates_by,
    rates_of,
)
from kpo.experts.access import experts_visible_to
from kpo.experts.models import DomainChoice, ExpertProfile
from kpo.quality.access import DashboardScope
from kpo.quality.models import ClientRating, Review, ReviewDecision
from kpo.work.models import Assignment, AssignmentRole, Engagement, Task, TaskTransition

V = TypeVar("V")

GROUPINGS = ("provider", "client", "domain", "expert")
SORTS = ("name", "tasks", "on_time", "rework", "rating", "review")


@dataclass(frozen=True)
class DashboardFilter:
    months: int = 12
    provider_id: int | None = None
    client_id: int | None = None
    domain: str = ""
    by: str = "provider"
    sort: str = "-tasks"


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the providers and clients of the engagements in scope, by name."""

    providers: list[tuple[int, str]]
    clients: list[tuple[int, str]]


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    rates: Rates
    url: str = ""


@dataclass
class QualityDashboard:
    months: list[dt.date]
    overall: Rates
    trend: list[tuple[dt.date, Rates]]
    rows: list[GroupRow] = field(default_factory=list)


def dashboard_choices(scope: DashboardScope) -> Choices:
    providers: dict[int, str] = {}
    clients: dict[int, str] = {}
    for client_id, client, provider_id, provider in (
        Engagement.objects.filter(scope.engagements())
        .values_list("client_id", "client__name", "provider_id", "provider__name")
        .distinct()
    ):
        clients[client_id] = client
        providers[provider_id] = provider
    return Choices(
        providers=sorted(providers.items(), key=lambda item: (item[1].casefold(), item[0])),
        clients=sorted(clients.items(), key=lambda item: (item[1].casefold(), item[0])),
    )


def _period_start(months: list[dt.date]) -> dt.datetime:
    first = months[0]
    return dt.datetime(first.year, first.month, 1, tzinfo=installation_zone())


def task_outcomes(scope: DashboardScope, filters: DashboardFilter, now: dt.datetime) -> list[TaskOutcome]:
    """Every task in scope first delivered in the filter's months (up to `now`), as an outcome."""
    months = months_back(installation_date(now), filters.months)
    engagement = scope.engagements()
    if filters.provider_id is not None:
        engagement &= Q(provider_id=filters.provider_id)
    if filters.client_id is not None:
        engagement &= Q(client_id=filters.client_id)
    if filters.domain:
        engagement &= Q(domain=filters.domain)
    tasks = Task.objects.filter(engagement__in=Engagement.objects.filter(engagement))
    delivered = (
        tasks.annotate(
            first=Min("transitions__at", filter=Q(transitions__to_status=TaskState.DELIVERED.value))
        )
        .filter(first__gte=_period_start(months), first__lte=now)
        .values_list(
            "id", "first", "due_at", "engagement__provider_id", "engagement__client_id", "engagement__domain"
        )
    )
    rows = list(delivered)
    if not rows:
        return []
    # the tasks delivered since the period began: a superset of `rows`, as a subquery, not a list of ids
    recent = tasks.filter(
        transitions__to_status=TaskState.DELIVERED.value, transitions__at__gte=_period_start(months)
    ).values("id")
    reworked = set(
        TaskTransition.objects.filter(task_id__in=recent, to_status=TaskState.CHANGES_REQUESTED.value)
        .order_by()
        .values_list("task_id", flat=True)
        .union(
            Review.objects.filter(task_id__in=recent, decision=ReviewDecision.SEND_BACK)
            .order_by()
            .values_list("task_id", flat=True)
        )
    )
    stars = _grouped(
        ClientRating.objects.filter(task_id__in=recent, stars__isnull=False)
        .order_by("id")
        .values_list("task_id", "stars")
    )
    scores = _grouped(
        Review.objects.filter(task_id__in=recent).order_by("id").values_list("task_id", "score")
    )
    makers = _grouped(
        Assignment.objects.filter(task_id__in=recent, role=AssignmentRole.MAKER)
        .order_by("expert_id")
        .values_list("task_id", "expert_id")
    )
    return [
        TaskOutcome(
            task_id=task_id,
            month=month_start(installation_date(first)),
            provider_id=provider_id,
            client_id=client_id,
            domain=domain,
            maker_ids=tuple(makers.get(task_id, ())),
            on_time=first <= due,
            reworked=task_id in reworked,
            stars=tuple(value for value in stars.get(task_id, ()) if value is not None),
            review_scores=tuple(float(value) for value in scores.get(task_id, ())),
        )
        for task_id, first, due, provider_id, client_id, domain in rows
    ]


def _grouped(pairs: Iterable[tuple[int, V]]) -> dict[int, list[V]]:
    grouped: dict[int, list[V]] = defaultdict(list)
    for task_id, value in pairs:
        grouped[task_id].append(value)
    return grouped


def _keys(by: str) -> Callable[[TaskOutcome], Iterable[object]]:
    if by == "client":
        return lambda outcome: (outcome.client_id,)
    if by == "domain":
        return lambda outcome: (outcome.domain,)
    if by == "expert":
        return lambda outcome: outcome.maker_ids
    return lambda outcome: (outcome.provider_id,)


def _labels(user: AnyUser, by: str, keys: list[object], choices: Choices) -> dict[object, tuple[str, str]]:
    """{key: (label, link)} of the groups: organisations by name, domains by their label, experts by name
    with a link to their profile when the user may open it."""
    if by == "domain":
        domains = {str(value): str(label) for value, label in DomainChoice.choices}
        return {key: (domains.get(str(key), str(key)), "") for key in keys}
    if by in {"provider", "client"}:
        names = dict(choices.providers if by == "provider" else choices.clients)
        return {key: (names.get(cast(int, key), str(key)), "") for key in keys}
    people = ExpertProfile.objects.filter(pk__in=keys).values_list(
        "pk", "user__first_name", "user__last_name"
    )
    visible = set(experts_visible_to(user).filter(pk__in=keys).values_list("pk", flat=True))
    return {
        pk: (
            f"{first} {last}".strip() or f"#{pk}",
            reverse("expert_detail", kwargs={"expert_id": pk}) if pk in visible else "",
        )
        for pk, first, last in people
    }


def _sort_key(sort: str) -> Callable[[GroupRow], tuple[object, ...]]:
    name = sort.lstrip("-")
    values: dict[str, Callable[[Rates], float | None]] = {
        "tasks": lambda rates: rates.tasks,
        "on_time": lambda rates: rates.on_time_rate,
        "rework": lambda rates: rates.rework_rate,
        "rating": lambda rates: rates.mean_rating,
        "review": lambda rates: rates.mean_review,
    }
    if name not in values:
        return lambda row: (row.label.casefold(), row.key)
    value = values[name]
    sign = -1 if sort.startswith("-") else 1

    def key(row: GroupRow) -> tuple[object, ...]:
        number = value(row.rates)
        # rows without the figure go last either way; then the label keeps the order stable
        return (number is None, sign * (number or 0), row.label.casefold(), row.key)

    return key


def quality_dashboard(
    user: AnyUser, scope: DashboardScope, filters: DashboardFilter, choices: Choices, now: dt.datetime
) -> QualityDashboard:
    outcomes = task_outcomes(scope, filters, now)
    months = months_back(installation_date(now), filters.months)
    grouped = rates_by(outcomes, _keys(filters.by))
    labels = _labels(user, filters.by, list(grouped), choices) if grouped else {}
    rows = []
    for key, rates in grouped.items():
        label, url = labels.get(key, (str(key), ""))
        rows.append(GroupRow(key=str(key), label=label, rates=rates, url=url))
    rows.sort(key=_sort_key(filters.sort))
    return QualityDashboard(
        months=months, overall=rates_of(outcomes), trend=by_month(outcomes, months), rows=rows
    )
