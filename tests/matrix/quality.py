"""The authorisation matrix's entries for quality (see tests/matrix/__init__.py).

Client A's engagement has its own rubric and task A a review and a client rating, each naming SECRET_A.
Everything hangs off engagements and tasks, so their outsiders apply; the expert quality score is read
through the expert's own door. The quality dashboard counts the delivered work of the user's own
organisations only (tests/quality/test_dashboard.py checks who sees which figures).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpo.quality.models import ClientRating, Review, Rubric
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart


def objects(cast: Cast) -> dict[str, Any]:
    Rubric.objects.create(
        engagement=cast.engagement_a,
        criteria=[{"name": f"{SECRET_A} fit", "weight": 2}],
        updated_by=cast.alice,
    )
    Review.objects.create(
        task=cast.task_a,
        version=cast.version_a,
        reviewer=cast.rex.expert_profile,
        reviewed_by=cast.rex,
        decision="send_back",
        scores=[{"name": f"{SECRET_A} fit", "weight": 2, "score": 2}],
        score=Decimal(2),
        comment=f"{SECRET_A}: recheck the baseline.",
    )
    ClientRating.objects.create(
        task=cast.task_a, rated_by=cast.bob, decision="request_changes", feedback=f"{SECRET_A} needs more."
    )
    return {}


PART = MatrixPart(
    web={
        "quality_rubric": Rule(OBJECT),
        "quality_review_create": Rule(OBJECT),
        "quality_rating_create": Rule(OBJECT),
        # client A's admins and auditors, P's managers and auditors; nobody else has the page (404)
        "quality_dashboard": Rule(SIGNED_IN),
        "quality_dashboard_csv": Rule(SIGNED_IN),
    },
    api={
        "get_rubric": Rule(OBJECT),
        "update_rubric": Rule(OBJECT, body={"criteria": [{"name": "Leak", "weight": 1}]}),
        "list_reviews": Rule(OBJECT),
        "create_review": Rule(
            OBJECT,
            body={"scores": [{"criterion": "Leak", "score": 4}], "decision": "pass", "comment": "Leak"},
        ),
        "list_ratings": Rule(OBJECT),
        "create_rating": Rule(OBJECT, body={"decision": "accept", "stars": 5, "feedback": "Leak"}),
        "get_expert_quality": Rule(OBJECT),
    },
    objects=objects,
    scoped_models=[
        (Rubric, "engagement__client"),
        (Review, "task__engagement__client"),
        (ClientRating, "task__engagement__client"),
    ],
)
