"""Independent review before delivery, the client's acceptance and rating, rubrics and quality scores."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from kpo.api.outputs import Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, Text, Title, user_of
from kpo.engine.lifecycle import Capacity
from kpo.experts.access import access_expert
from kpo.quality.access import access_rubric
from kpo.quality.models import (
    CRITERION_NAME_MAX,
    MAX_CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    ClientRating,
    Review,
)
from kpo.quality.selectors import rubric_criteria, score_views, task_ratings, task_reviews
from kpo.quality.services import rating_record, review_record, rubric_update
from kpo.work.access import access_task, access_task_for

router = ApiRouter(tags=["quality"])

CriterionName = Annotated[Title, Field(max_length=CRITERION_NAME_MAX)]
Weight = Annotated[int, Field(ge=WEIGHT_MIN, le=WEIGHT_MAX)]
Score = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]
Rounded = Annotated[float, AfterValidator(lambda value: round(value, 4))]


class CriterionIO(Schema):
    name: CriterionName
    weight: Weight = 1


class RubricOut(Schema):
    engagement_id: int
    own: bool = Field(description="False: the engagement uses the five default criteria.")
    criteria: list[CriterionIO]


class RubricIn(Schema):
    criteria: list[CriterionIO] = Field(min_length=1, max_length=MAX_CRITERIA)


class CriterionScoreIO(Schema):
    criterion: CriterionName
    score: Score


class ScoreRowOut(Schema):
    name: str
    weight: int
    score: int


class ReviewOut(Schema):
    id: int
    task_id: int
    version_id: int
    version_number: int
    reviewer_id: int
    reviewer_name: str
    decision: Literal["pass", "send_back"]
    score: Decimal = Field(description="The weighted mean of the criterion scores, 1-5.")
    scores: list[ScoreRowOut]
    comment: str
    round: int
    created_at: dt.datetime

    @staticmethod
    def resolve_version_number(obj: Review) -> int:
        return obj.version.number

    @staticmethod
    def resolve_reviewer_name(obj: Review) -> str:
        return obj.reviewer.display_name


class ReviewIn(Schema):
    scores: list[CriterionScoreIO] = Field(max_length=MAX_CRITERIA, description="One per rubric criterion.")
    decision: Literal["pass", "send_back"]
    comment: Text = ""


class RatingOut(Schema):
    id: int
    task_id: int
    version_id: int | None
    decision: Literal["accept", "request_changes", "rate"]
    stars: int | None
    feedback: str
    rated_by: Username
    created_at: dt.datetime


class RatingIn(Schema):
    decision: Literal["accept", "request_changes", "rate"]
    stars: Score | None = Field(None, description="1-5; required to accept and to rate.")
    feedback: Text = ""


class QualityScoreOut(Schema):
    domain: str = Field(description='"" for the overall score.')
    mean: Rounded = Field(description="On the 1-5 scale.")
    lower: Rounded
    upper: Rounded
    reviews: int
    ratings: int
    rework_rounds: int
    deliveries: int
    on_time: int
    computed_at: dt.datetime


class ExpertQualityOut(Schema):
    expert_id: int
    overall: QualityScoreOut | None
    domains: list[QualityScoreOut]


def _rubric_out(engagement_id: int, criteria: list[tuple[str, int]], own: bool) -> RubricOut:
    return RubricOut(
        engagement_id=engagement_id,
        own=own,
        criteria=[CriterionIO(name=name, weight=weight) for name, weight in criteria],
    )


@router.reads("/engagements/{engagement_id}/rubric", RubricOut, 404, 422)
def get_rubric(request: HttpRequest, engagement_id: Id) -> RubricOut:
    """The criteria reviewers score this engagement's deliverables on."""
    engagement = access_rubric(user_of(request), engagement_id)
    criteria, own = rubric_criteria(engagement)
    return _rubric_out(engagement.pk, [(c.name, c.weight) for c in criteria], own)


@router.writes("PUT", "/engagements/{engagement_id}/rubric", RubricOut, 400, 403, 404, 409, 422)
def update_rubric(request: HttpRequest, engagement_id: Id, payload: RubricIn) -> RubricOut:
    """Replace the criteria and weights (the client's admins)."""
    user = user_of(request)
    engagement = access_rubric(user, engagement_id, write=True)
    rubric = rubric_update(
        user=user, engagement=engagement, criteria=[(c.name, c.weight) for c in payload.criteria]
    )
    return _rubric_out(engagement.pk, [(c["name"], c["weight"]) for c in rubric.criteria], True)


@router.lists("/tasks/{task_id}/reviews", ReviewOut, 404, 422)
def list_reviews(request: HttpRequest, task_id: Id) -> QuerySet[Review]:
    return task_reviews(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/reviews", ReviewOut, 400, 403, 404, 409, 422)
def create_review(request: HttpRequest, task_id: Id, payload: ReviewIn) -> Review:
    """The assigned reviewer scores the latest version: `pass` delivers it, `send_back` returns it."""
    user = user_of(request)
    task, _held = access_task_for(user, task_id, Capacity.REVIEWER)
    scores: dict[str, object] = {}
    for index, row in enumerate(payload.scores):
        if row.criterion in scores:
            raise ValidationError({f"scores.{index}.criterion": _("A criterion is scored twice.")})
        scores[row.criterion] = row.score
    review = review_record(
        user=user, task=task, scores=scores, decision=payload.decision, comment=payload.comment
    )
    return review


@router.lists("/tasks/{task_id}/ratings", RatingOut, 404, 422)
def list_ratings(request: HttpRequest, task_id: Id) -> QuerySet[ClientRating]:
    return task_ratings(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/ratings", RatingOut, 400, 403, 404, 409, 422)
def create_rating(request: HttpRequest, task_id: Id, payload: RatingIn) -> ClientRating:
    """The client accepts (with 1-5 stars), requests changes (with feedback) or rates an accepted task."""
    user = user_of(request)
    task, _held = access_task_for(user, task_id, Capacity.CLIENT)
    rating = rating_record(
        user=user, task=task, decision=payload.decision, stars=payload.stars, feedback=payload.feedback
    )
    return rating


@router.reads("/experts/{expert_id}/quality", ExpertQualityOut, 404, 422)
def get_expert_quality(request: HttpRequest, expert_id: Id) -> ExpertQualityOut:
    """The expert's quality score (1-5 scale) with its credible interval and evidence counts."""
    expert = access_expert(user_of(request), expert_id)
    rows = [QualityScoreOut.model_validate(score) for score in score_views(expert.pk)]
    overall = rows[0] if rows and rows[0].domain == "" else None
    return ExpertQualityOut(expert_id=expert.pk, overall=overall, domains=[r for r in rows if r.domain])
