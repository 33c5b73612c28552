"""Reviews and client ratings for the demo world's tasks, so profiles show quality scores.

Every review step the replayed history recorded becomes a review of the version that was latest then:
in_review -> delivered a passing review (scores 4-5), in_review -> in_progress a send-back (scores 2-3)
with the transition's comment. Every acceptance gets the client's 3-5 stars and every change request
the client's feedback. Then every maker's score is computed as of the seeding moment.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime

from django.db.models import Model

from kpo.demo.reference import demo_now
from kpo.engine.lifecycle import TaskState
from kpo.quality.models import ClientRating, RatingDecision, Review, ReviewDecision
from kpo.quality.scores import quality_refresh_all
from kpo.quality.selectors import default_criteria
from kpo.quality.services import weighted_score
from kpo.work.models import Assignment, AssignmentRole, DeliverableVersion, Task, TaskTransition

S = TaskState
FEEDBACK = (
    "Clear and well sourced, thank you.",
    "Good work; the summary was exactly what the board needed.",
    "Useful, though we had to chase a couple of figures.",
)


def _stamp(rows: list[tuple[Model, datetime]]) -> None:
    by_model: dict[type[Model], list[Model]] = defaultdict(list)
    for row, at in rows:
        row.created_at = at  # type: ignore[attr-defined]
        row.updated_at = at  # type: ignore[attr-defined]
        by_model[type(row)].append(row)
    for model, instances in by_model.items():
        model._default_manager.bulk_update(instances, ["created_at", "updated_at"])


def seed_quality(rng: random.Random) -> Counter[str]:
    criteria = [c.name for c in default_criteria()]
    tasks = Task.objects.filter(
        transitions__to_status__in=[S.DELIVERED.value, S.IN_PROGRESS.value]
    ).distinct()
    task_ids = list(tasks.values_list("id", flat=True))
    reviewers = dict(
        Assignment.objects.filter(task_id__in=task_ids, role=AssignmentRole.REVIEWER).values_list(
            "task_id", "expert_id"
        )
    )
    reviewer_users = dict(
        Assignment.objects.filter(task_id__in=task_ids, role=AssignmentRole.REVIEWER).values_list(
            "task_id", "expert__user_id"
        )
    )
    versions: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for task_id, created, pk in DeliverableVersion.objects.filter(
        deliverable__task_id__in=task_ids
    ).values_list("deliverable__task_id", "created_at", "id"):
        versions[task_id].append((created, pk))
    reviews: list[tuple[Model, datetime]] = []
    ratings: list[tuple[Model, datetime]] = []
    rounds: Counter[int] = Counter()
    for transition in TaskTransition.objects.filter(task_id__in=task_ids).order_by("task_id", "at", "id"):
        task_id, at = transition.task_id, transition.at
        if transition.to_status == S.IN_REVIEW.value:
            rounds[task_id] += 1
        elif transition.from_status == S.IN_REVIEW.value and task_id in reviewers:
            passed = transition.to_status == S.DELIVERED.value
            if transition.to_status not in (S.DELIVERED.value, S.IN_PROGRESS.value):
                continue
            earlier = [pk for created, pk in sorted(versions[task_id]) if created <= at]
            if not earlier:
                continue
            low, high = (4, 5) if passed else (2, 3)
            rows = [{"name": name, "weight": 1, "score": rng.randint(low, high)} for name in criteria]
            review = Review(
                task_id=task_id,
                version_id=earlier[-1],
                reviewer_id=reviewers[task_id],
                reviewed_by_id=reviewer_users[task_id],
                decision=ReviewDecision.PASS if passed else ReviewDecision.SEND_BACK,
                scores=rows,
                score=weighted_score(rows),
                comment=transition.comment,
                round=rounds[task_id],
            )
            review.save()
            reviews.append((review, at))
        elif transition.from_status == S.DELIVERED.value and transition.to_status in (
            S.ACCEPTED.value,
            S.CHANGES_REQUESTED.value,
        ):
            accepted = transition.to_status == S.ACCEPTED.value
            rating = ClientRating(
                task_id=task_id,
                version_id=next(iter(pk for _c, pk in sorted(versions[task_id], reverse=True)), None),
                rated_by_id=transition.actor_id,
                decision=RatingDecision.ACCEPT if accepted else RatingDecision.REQUEST_CHANGES,
                stars=rng.choice((3, 4, 4, 5, 5)) if accepted else None,
                feedback=transition.comment or (rng.choice(FEEDBACK) if accepted else ""),
            )
            rating.save()
            ratings.append((rating, at))
    _stamp(reviews + ratings)
    scores = quality_refresh_all(now=demo_now())
    return Counter(reviews=len(reviews), client_ratings=len(ratings), quality_scores=scores)
