"""The cached quality scores: recomputed from the evidence whenever it changes.

`quality_refresh` is called by the review and rating services, after every delivery and change request
(`quality_after_transition`, a transition listener registered with kpo.work.extensions), and for
everyone by `kpo quality-refresh` (evidence decays with age, so a daily refresh keeps the scores
current).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.engine.lifecycle import TaskState
from kpo.engine.quality import Evidence, EvidenceKind, estimate_quality, estimate_quality_by_domain
from kpo.experts.models import ExpertProfile
from kpo.quality.models import QualityScore
from kpo.quality.selectors import evidence_by_expert
from kpo.work.models import Assignment, AssignmentRole, Task, TaskTransition


def makers_of(task: Task) -> list[int]:
    return list(
        Assignment.objects.filter(task=task, role=AssignmentRole.MAKER).values_list("expert_id", flat=True)
    )


def _counts(items: Iterable[Evidence]) -> dict[str, int]:
    counts = {"reviews": 0, "ratings": 0, "rework_rounds": 0, "deliveries": 0, "on_time": 0}
    for item in items:
        if item.kind == EvidenceKind.RUBRIC:
            counts["reviews"] += 1
        elif item.kind == EvidenceKind.CLIENT_RATING:
            counts["ratings"] += 1
        elif item.kind == EvidenceKind.REWORK:
            counts["rework_rounds"] += int(item.count)
        else:
            counts["deliveries"] += 1
            counts["on_time"] += int(item.score >= 1.0)
    return counts


@transaction.atomic
def quality_refresh(*, expert_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Recompute the cached scores of `expert_ids` from their evidence; returns the rows written.

    An expert without evidence has no row (matching then treats the quality as unknown: neutral).
    """
    ids = sorted(set(expert_ids))
    if not ids:
        return 0
    moment = now or timezone.now()
    today = installation_date(moment)
    evidence = evidence_by_expert(ids)
    rows: list[QualityScore] = []
    for expert_id in ids:
        items = evidence.get(expert_id, [])
        if not items:
            continue
        estimates = {"": estimate_quality(items, today), **estimate_quality_by_domain(items, today)}
        for domain, estimate in estimates.items():
            in_scope = items if not domain else [e for e in items if e.domain == domain]
            rows.append(
                QualityScore(
                    expert_id=expert_id,
                    domain=domain,
                    mean=estimate.mean,
                    lower=estimate.lower,
                    upper=estimate.upper,
                    n_effective=estimate.n_effective,
                    computed_on=today,
                    computed_at=moment,
                    **_counts(in_scope),
                )
            )
    QualityScore.objects.filter(expert_id__in=ids).delete()
    QualityScore.objects.bulk_create(rows, batch_size=2000)
    # the matching index's fingerprint watches the profiles (kpo.matching.index_cache, THE RULE)
    ExpertProfile.objects.filter(pk__in=ids).update(updated_at=moment)
    return len(rows)


REFRESHING_STATES = {TaskState.DELIVERED.value, TaskState.CHANGES_REQUESTED.value}


def quality_after_transition(transition: TaskTransition) -> None:
    """After a lifecycle transition (kpo.work.extensions): deliveries and change requests are evidence."""
    if transition.to_status in REFRESHING_STATES:
        quality_refresh(expert_ids=makers_of(transition.task))


def quality_refresh_all(*, now: dt.datetime | None = None, batch: int = 2000) -> int:
    """Recompute every maker's scores (the decay moves them with time); returns the rows written."""
    makers = (
        Assignment.objects.filter(role=AssignmentRole.MAKER)
        .values_list("expert_id", flat=True)
        .distinct()
        .order_by("expert_id")
    )
    ids = list(makers)
    written = 0
    for start in range(0, len(ids), batch):
        written += quality_refresh(expert_ids=ids[start : start + batch], now=now)
    QualityScore.objects.exclude(
        expert_id__in=Assignment.objects.filter(role=AssignmentRole.MAKER).values("expert_id")
    ).delete()
    return written
