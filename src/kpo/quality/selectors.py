"""Reads for review, ratings and quality scores: the rubric in force, a task's reviews and ratings, the
evidence behind an expert's quality score, and the cached scores matching reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpo.core.clock import installation_date
from kpo.engine.lifecycle import TaskState
from kpo.engine.quality import (
    Evidence,
    EvidenceKind,
    client_rating_evidence,
    delivery_evidence,
    rework_evidence,
    to_five_point,
)
from kpo.quality.models import ClientRating, QualityScore, Review, Rubric
from kpo.work.models import Assignment, AssignmentRole, Engagement, Task, TaskTransition

DEFAULT_CRITERIA = (
    _("Accuracy"),
    _("Completeness"),
    _("Clarity"),
    _("Use of sources"),
    _("Timeliness"),
)


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: int


def criterion_label(name: str) -> str:
    """A criterion as stored on a review, in the active language: a default criterion was stored in its
    reviewer's language and reads in the reader's; a client's own criterion stays as the client wrote it."""
    for default in DEFAULT_CRITERIA:
        if name in _spellings(default):
            return str(default)
    return name


def _spellings(default: Promise) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(default))
    return names


def review_scores(review: Review) -> list[dict[str, object]]:
    """A review's rubric scores with each criterion named in the active language."""
    return [dict(row, name=criterion_label(str(row.get("name", "")))) for row in review.scores]


def default_criteria() -> list[Criterion]:
    """The five default criteria with equal weights, named in the active language."""
    return [Criterion(str(name), 1) for name in DEFAULT_CRITERIA]


def rubric_criteria(engagement: Engagement) -> tuple[list[Criterion], bool]:
    """The engagement's criteria and whether they are its own (False: the defaults)."""
    rubric = Rubric.objects.filter(engagement=engagement).first()
    if rubric is None or not rubric.criteria:
        return default_criteria(), False
    return [Criterion(str(c["name"]), int(c["weight"])) for c in rubric.criteria], True


def task_reviews(task: Task) -> QuerySet[Review]:
    return Review.objects.filter(task=task).select_related(
        "reviewer__user", "version__deliverable", "reviewed_by"
    )


def task_ratings(task: Task) -> QuerySet[ClientRating]:
    return ClientRating.objects.filter(task=task).select_related("rated_by", "version__deliverable")


def task_is_rated(task: Task) -> bool:
    """The client has given the accepted delivery its stars."""
    return ClientRating.objects.filter(
        task=task, stars__isnull=False, decision__in=["accept", "rate"]
    ).exists()


# --- evidence -------------------------------------------------------------------------------------


def _date(moment: dt.datetime) -> dt.date:
    return installation_date(moment)


def rubric_review_evidence(score: float, on: dt.date, domain: str, ref: str) -> Evidence:
    """A review's weighted 1-5 score as rubric evidence (the weighted mean over the rubric's criteria)."""
    value = min(max(float(score), 1.0), 5.0)
    return Evidence(
        EvidenceKind.RUBRIC,
        (value - 1.0) / 4.0,
        on,
        domain or None,
        ref=ref,
        detail=f"{value:.2f} / 5",
    )


def evidence_by_expert(expert_ids: Iterable[int]) -> dict[int, list[Evidence]]:
    """Every piece of quality evidence about each maker in `expert_ids`, in four queries:

    rubric scores of the reviews of their tasks, the client's star ratings, each round of changes
    the client requested (rework), and the first delivery of each task against its due time.
    """
    ids = list(expert_ids)
    made = list(
        Assignment.objects.filter(role=AssignmentRole.MAKER, expert_id__in=ids).values_list(
            "expert_id", "task_id", "task__engagement__domain", "task__due_at"
        )
    )
    tasks: dict[int, tuple[str, dt.datetime]] = {task: (domain, due) for _e, task, domain, due in made}
    per_task: dict[int, list[Evidence]] = defaultdict(list)
    task_ids = list(tasks)
    for task_id, score, created in (
        Review.objects.filter(task_id__in=task_ids)
        .order_by("id")
        .values_list("task_id", "score", "created_at")
    ):
        per_task[task_id].append(
            rubric_review_evidence(float(score), _date(created), tasks[task_id][0], f"task {task_id}")
        )
    for task_id, stars, created in (
        ClientRating.objects.filter(task_id__in=task_ids, stars__isnull=False)
        .order_by("id")
        .values_list("task_id", "stars", "created_at")
    ):
        per_task[task_id].append(
            client_rating_evidence(
                float(stars or 0), _date(created), domain=tasks[task_id][0] or None, ref=f"task {task_id}"
            )
        )
    delivered: set[int] = set()
    for task_id, to_status, at in (
        TaskTransition.objects.filter(
            task_id__in=task_ids,
            to_status__in=[TaskState.DELIVERED.value, TaskState.CHANGES_REQUESTED.value],
        )
        .order_by("at", "id")
        .values_list("task_id", "to_status", "at")
    ):
        domain, due = tasks[task_id]
        if to_status == TaskState.CHANGES_REQUESTED.value:
            per_task[task_id].append(rework_evidence(_date(at), domain=domain or None, ref=f"task {task_id}"))
        elif task_id not in delivered:  # the first delivery is the one measured against the due time
            delivered.add(task_id)
            per_task[task_id].append(
                delivery_evidence(at <= due, _date(at), domain=domain or None, ref=f"task {task_id}")
            )
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for expert_id, task_id, _domain, _due in made:
        evidence[expert_id].extend(per_task.get(task_id, ()))
    return evidence


# --- scores ---------------------------------------------------------------------------------------


def quality_columns() -> dict[int, tuple[float, float]]:
    """{expert id: (mean, lower bound)} of every expert's overall score: one indexed query (matching)."""
    return {
        expert_id: (mean, lower)
        for expert_id, mean, lower in QualityScore.objects.filter(domain="")
        .values_list("expert_id", "mean", "lower")
        .iterator(chunk_size=20_000)
    }


def quality_in_domain(domain: str) -> dict[int, tuple[float, float | None]]:
    """{expert id: (mean, lower bound)} of the experts with a score in `domain`: one indexed query, for
    matching to prefer an expert's record in the task's own domain over their overall score."""
    if not domain:
        return {}
    return {
        expert_id: (mean, lower)
        for expert_id, mean, lower in QualityScore.objects.filter(domain=domain).values_list(
            "expert_id", "mean", "lower"
        )
    }


@dataclass(frozen=True)
class ScoreView:
    """A cached score on the 1-5 scale, for pages."""

    domain: str
    domain_label: str
    mean: float
    lower: float
    upper: float
    reviews: int
    ratings: int
    rework_rounds: int
    deliveries: int
    on_time: int
    computed_at: dt.datetime

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.deliveries if self.deliveries else None


def score_views(expert_id: int) -> list[ScoreView]:
    """The expert's overall score first, then one per domain."""
    from kpo.experts.models import DomainChoice

    labels = dict(DomainChoice.choices)
    rows = sorted(QualityScore.objects.filter(expert_id=expert_id), key=lambda r: (r.domain != "", r.domain))
    return [
        ScoreView(
            domain=row.domain,
            domain_label=str(labels.get(row.domain, row.domain)) if row.domain else "",
            mean=to_five_point(row.mean),
            lower=to_five_point(row.lower),
            upper=to_five_point(row.upper),
            reviews=row.reviews,
            ratings=row.ratings,
            rework_rounds=row.rework_rounds,
            deliveries=row.deliveries,
            on_time=row.on_time,
            computed_at=row.computed_at,
        )
        for row in rows
    ]


RECENT_REVIEWS = 5


def recent_reviews_visible(
    expert_id: int, visible_tasks: QuerySet[Task], limit: int = RECENT_REVIEWS
) -> list[Review]:
    """The latest reviews of work the expert made, on tasks the viewer may see (others stay hidden)."""
    made = Assignment.objects.filter(expert_id=expert_id, role=AssignmentRole.MAKER).values("task_id")
    return list(
        Review.objects.filter(task_id__in=made)
        .filter(task_id__in=visible_tasks.values("id"))
        .select_related("task", "reviewer__user")
        .order_by("-created_at", "-id")[:limit]
    )
