"""The staffing picker of one task: its eligible experts in the shortlist's order, searched by name or
skill, a page at a time, each with score and free hours; and the experts a search finds who may not do
the task, with the rules they fail (the why-not answer).

Call after kpo.matching.access (display data is read through what the viewer may see).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from kpo.core.types import AnyUser
from kpo.engine.matching import ExpertIndex, ExpertRecord, ranking, why_not
from kpo.engine.matching.rules import capacity_left
from kpo.experts.access import experts_visible_to
from kpo.experts.models import ExpertProfile, ExpertSkill
from kpo.matching.explain import Names, failure_text, requirement_text
from kpo.matching.labels import rule_label
from kpo.matching.records import expert_records
from kpo.matching.selectors import (
    ExpertCard,
    FailureLine,
    ShortlistRow,
    TaskScoring,
    component_lines,
    expert_cards,
    hidden_client_staff,
    roles_on_task,
    task_scoring,
)
from kpo.work.models import Task

PAGE_SIZE = 20
REFUSED_LIMIT = 10
"""Experts found by a search who may not do the task: at most this many are explained."""
MAX_WORDS = 5


@dataclass(frozen=True)
class Availability:
    """An expert's hours against the task: free before its due date, booked on open tasks, a week."""

    weekly_hours: float
    booked_hours: float
    free_hours: float
    needed_hours: float

    @property
    def enough(self) -> bool:
        return self.free_hours >= self.needed_hours


def availability_of(record: ExpertRecord, scoring: TaskScoring) -> Availability:
    requirements = scoring.requirements
    free = capacity_left(record.weekly_capacity_hours, record.assigned_hours, requirements.window_weeks)
    return Availability(
        weekly_hours=record.weekly_capacity_hours,
        booked_hours=record.assigned_hours,
        free_hours=max(free, 0.0),
        needed_hours=requirements.effort_hours,
    )


@dataclass(frozen=True)
class PickerRow(ShortlistRow):
    availability: Availability


@dataclass(frozen=True)
class RefusedRow:
    """An expert the search found who fails the task's rules."""

    expert: ExpertCard
    failures: list[FailureLine]


@dataclass(frozen=True)
class StaffPicker:
    task: Task
    query: str
    rows: tuple[PickerRow, ...]
    refused: tuple[RefusedRow, ...]
    refused_total: int
    matched: int
    """Eligible experts on every page (those the search found, when searching)."""
    eligible: int
    total: int
    hidden_client_staff: int
    page: int
    pages: int
    window_days: float

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def refused_more(self) -> int:
        return self.refused_total - len(self.refused)


def search_words(q: str) -> list[str]:
    return [word for word in q.split() if word][:MAX_WORDS]


def experts_found(
    viewer: AnyUser,
    task: Task,
    words: list[str],
    *,
    sees_client_staff: bool,
    organisation_ids: frozenset[int] | None = None,
) -> QuerySet[ExpertProfile]:
    """The engagement's provider's experts (those of `organisation_ids`, when given; and the client's
    own staff, for those who may see them) that the viewer may see, whose name or a skill holds every
    word, by name."""
    engagement = task.engagement
    scope = Q(organisation_id__in=organisation_ids or {engagement.provider_id})
    if sees_client_staff:
        scope |= Q(internal=True, organisation_id=engagement.client_id)
    found = experts_visible_to(viewer).filter(scope)
    for word in words:
        skill = ExpertSkill.objects.filter(expert=OuterRef("pk"), skill__label__icontains=word)
        found = found.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word) | Exists(skill)
        )
    return found.order_by("user__last_name", "user__first_name", "id")


def _failures(index: ExpertIndex, expert_id: int, scoring: TaskScoring, names: Names) -> list[FailureLine]:
    requirements = scoring.requirements
    record = index.record(expert_id)
    return [
        FailureLine(
            rule=f.rule,
            label=rule_label(f.rule),
            reason=requirement_text(f.rule, requirements, names, fallback=f.reason),
            detail=failure_text(f.rule, record, requirements, names, fallback=f.detail),
        )
        for f in why_not(index, requirements, expert_id, rules=scoring.rules)
    ]


def staff_picker(
    task: Task,
    *,
    now: dt.datetime,
    viewer: AnyUser,
    sees_client_staff: bool,
    q: str = "",
    page: int = 1,
    organisation_ids: frozenset[int] | None = None,
) -> StaffPicker:
    """One page of the picker: the eligible experts (those `q` finds, when given) ranked as on the
    shortlist, and up to REFUSED_LIMIT experts `q` finds who fail the task's rules, with why.
    `organisation_ids`: staff from these organisations (an overflow provider's own)."""
    scoring = task_scoring(task, now, sees_client_staff=sees_client_staff, organisation_ids=organisation_ids)
    words = search_words(q)
    found: list[int] | None = None
    if words:
        searched = experts_found(
            viewer, task, words, sees_client_staff=sees_client_staff, organisation_ids=organisation_ids
        )
        found = list(searched.values_list("id", flat=True))
    result = ranking(
        scoring.index,
        scoring.requirements,
        scoring.weights,
        scoring.affinities,
        rules=scoring.rules,
        eligible=scoring.eligible,
        among=found,
        page=page,
        page_size=PAGE_SIZE,
    )
    refused_ids = list(result.outside[:REFUSED_LIMIT])
    shown = [entry.expert_id for entry in result.entries]
    cards = expert_cards(shown + refused_ids, viewer)
    roles = roles_on_task(task, shown)
    index = scoring.index
    known = scoring.affinities is not None
    rows = tuple(
        PickerRow(
            entry=entry,
            expert=cards[entry.expert_id],
            availability=availability_of(index.record(entry.expert_id), scoring),
            roles_on_task=roles.get(entry.expert_id, ()),
            lines=component_lines(
                entry,
                index.record(entry.expert_id),
                scoring.requirements,
                scoring.names,
                affinity_known=known,
            ),
            bench=scoring.context.bench_names.get(entry.expert_id, "") if entry.on_bench else "",
        )
        for entry in result.entries
        if entry.expert_id in cards
    )
    return StaffPicker(
        task=task,
        query=" ".join(words),
        rows=rows,
        refused=_refused(refused_ids, cards, scoring, now),
        refused_total=len(result.outside),
        matched=result.matched,
        eligible=result.eligible,
        total=result.pool_report.total,
        hidden_client_staff=hidden_client_staff(result.pool_report),
        page=result.page,
        pages=result.pages,
        window_days=scoring.requirements.window_weeks * 7,
    )


def _refused(
    ids: list[int], cards: dict[int, ExpertCard], scoring: TaskScoring, now: dt.datetime
) -> tuple[RefusedRow, ...]:
    """The why-not of each expert in `ids`; those newer than the index are read in one batch."""
    index = scoring.index
    missing = [expert_id for expert_id in ids if index.find_row(expert_id) is None]
    newer = ExpertIndex.build(expert_records(now, expert_ids=missing)) if missing else None
    names = Names(
        provider=scoring.names.provider,
        skills=scoring.names.skills,
        organisations={card.organisation_id: card.organisation_name for card in cards.values()},
    )
    rows = []
    for expert_id in ids:
        card = cards.get(expert_id)
        source = newer if newer is not None and expert_id in missing else index
        if card is None or source.find_row(expert_id) is None:
            continue
        failures = _failures(source, expert_id, scoring, names)
        if failures:  # none: eligible since the index was built; the next page view ranks them
            rows.append(RefusedRow(expert=card, failures=failures))
    return tuple(rows)
