"""Panels on shared pages: review and rating on the task page, the rubric on the engagement page, the
quality score with its evidence on the expert's profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from kpo.core.panels import Panel
from kpo.engine.lifecycle import Capacity, TaskState
from kpo.engine.quality import DEFAULT_MODEL, to_five_point
from kpo.experts.models import ExpertProfile
from kpo.quality.access import can_configure_rubric
from kpo.quality.checks import latest_version
from kpo.quality.forms import RatingForm, ReviewForm
from kpo.quality.models import RatingDecision
from kpo.quality.selectors import (
    recent_reviews_visible,
    review_scores,
    rubric_criteria,
    score_views,
    task_ratings,
    task_reviews,
)
from kpo.work.access import task_capacities, tasks_visible_to
from kpo.work.models import Engagement, Task

BOUND_FORMS = "_kpo_quality_forms"  # a view that re-renders the task page with errors sets this
REVIEW_STATES = {
    TaskState.IN_PROGRESS.value,
    TaskState.IN_REVIEW.value,
    TaskState.DELIVERED.value,
    TaskState.CHANGES_REQUESTED.value,
    TaskState.ACCEPTED.value,
    TaskState.ON_HOLD.value,
}


def task_panel(request: HttpRequest, task: Task) -> Panel | None:
    """Reviews and ratings of the task, the rubric, and the review or rating form for who may use it."""
    if task.status not in REVIEW_STATES:
        return None
    capacities = task_capacities(request.user, task)
    reviews = list(task_reviews(task))
    ratings = list(task_ratings(task))
    bound: dict[str, Any] = getattr(request, BOUND_FORMS, {})
    reviewing = Capacity.REVIEWER in capacities and task.status == TaskState.IN_REVIEW.value
    rating_form = None
    rating_choices: list[tuple[str, str]] = []
    if Capacity.CLIENT in capacities:
        if task.status == TaskState.DELIVERED.value:
            rating_choices = [
                (RatingDecision.ACCEPT.value, str(RatingDecision.ACCEPT.label)),
                (RatingDecision.REQUEST_CHANGES.value, str(RatingDecision.REQUEST_CHANGES.label)),
            ]
        elif task.status == TaskState.ACCEPTED.value and not any(
            r.stars is not None and r.decision != RatingDecision.REQUEST_CHANGES for r in ratings
        ):
            rating_choices = [(RatingDecision.RATE.value, str(RatingDecision.RATE.label))]
        if rating_choices:
            rating_form = bound.get("rating") or RatingForm(initial={"decision": rating_choices[0][0]})
            decision = rating_form.fields["decision"]
            assert isinstance(decision, forms.ChoiceField)
            decision.choices = rating_choices
    quiet = task.status not in {TaskState.IN_REVIEW.value, TaskState.DELIVERED.value}
    if quiet and not (reviews or ratings or reviewing or rating_form):
        return None  # before the rubric is read: most task pages show no panel
    criteria, own = rubric_criteria(task.engagement)
    review_form = (bound.get("review") or ReviewForm(criteria=criteria)) if reviewing else None
    return Panel(
        "quality/panel_task.html",
        {
            "task": task,
            "reviews": [(review, review_scores(review)) for review in reviews],
            "ratings": ratings,
            "criteria": criteria,
            "own_rubric": own,
            "review_form": review_form,
            "rating_form": rating_form,
            "latest_version": latest_version(task) if review_form is not None else None,
        },
    )


def engagement_panel(request: HttpRequest, engagement: Engagement) -> Panel | None:
    criteria, own = rubric_criteria(engagement)
    return Panel(
        "quality/panel_engagement.html",
        {
            "engagement": engagement,
            "criteria": criteria,
            "own": own,
            "can_edit": can_configure_rubric(request.user, engagement),
        },
    )


def expert_panel(request: HttpRequest, expert: ExpertProfile) -> Panel | None:
    """The score with its interval and evidence; the recent reviews only of work the viewer may see."""
    scores = score_views(expert.pk)
    recent = recent_reviews_visible(expert.pk, tasks_visible_to(request.user)) if scores else []
    return Panel(
        "quality/panel_expert.html",
        {
            "expert": expert,
            "overall": scores[0] if scores and not scores[0].domain else None,
            "domains": [s for s in scores if s.domain],
            "recent": recent,
            "prior": to_five_point(DEFAULT_MODEL.prior_mean),
            "credibility": round(DEFAULT_MODEL.credibility * 100),
            "half_life": round(DEFAULT_MODEL.half_life_days),
        },
    )
