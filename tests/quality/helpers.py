"""Shared steps for tests that move a task through review: a passing review by the assigned reviewer."""

from __future__ import annotations

from django.contrib.auth.models import User

from kpo.quality.models import Review
from kpo.quality.selectors import rubric_criteria
from kpo.quality.services import review_record
from kpo.work.models import Task


def scores_for(task: Task, value: int = 4) -> dict[str, object]:
    """The same score on every criterion of the task's rubric."""
    criteria, _own = rubric_criteria(task.engagement)
    return {criterion.name: value for criterion in criteria}


def pass_review(reviewer: User, task: Task, value: int = 4, comment: str = "") -> Review:
    """The reviewer passes the latest version, which delivers the task (in_review -> delivered)."""
    review = review_record(
        user=reviewer, task=task, scores=scores_for(task, value), decision="pass", comment=comment
    )
    task.refresh_from_db()
    return review


def review_form_data(task: Task, decision: str, value: int = 4, comment: str = "") -> dict[str, object]:
    """What the task page's review form posts."""
    criteria, _own = rubric_criteria(task.engagement)
    data: dict[str, object] = {f"review-score_{i}": value for i in range(len(criteria))}
    data.update({"review-decision": decision, "review-comment": comment})
    return data
