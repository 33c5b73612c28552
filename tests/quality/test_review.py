"""Maker-checker: who may review, rubric bounds, review state checks and the lifecycle precondition."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.experts.models import ExpertDomain
from kpo.notices.models import Notice
from kpo.quality import checks
from kpo.quality.models import Review, Rubric
from kpo.quality.selectors import rubric_criteria
from kpo.quality.services import review_record, rubric_update, weighted_score
from kpo.work import services
from kpo.work.models import Assignment, Task, TaskTransition
from tests.cast import Cast
from tests.quality.helpers import pass_review, scores_for

pytestmark = pytest.mark.django_db


def _in_review(cast: Cast) -> Task:
    return services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")


def _unchanged(task: Task) -> tuple[Any, ...]:
    return (Task.objects.get(pk=task.pk).status, Review.objects.count(), TaskTransition.objects.count())


# --- who may review ---------------------------------------------------------------------------------


def _staff_reviewer(cast: Cast, user: Any) -> Assignment:
    return services.assignment_create(
        user=cast.pete,
        task=cast.task_a,
        expert=user.expert_profile,
        role="reviewer",
        planned_hours=Decimal(2),
    )


def test_the_maker_cannot_be_the_reviewer(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        _staff_reviewer(cast, cast.carol)
    assert error.value.field == "expert"
    assert "maker" in error.value.message
    assert checks.reviewer_refusal(cast.task_a, cast.carol.expert_profile) is not None


def test_an_inactive_expert_cannot_review(cast: Cast) -> None:
    cast.erin.expert_profile.status = "inactive"
    cast.erin.expert_profile.save()
    with pytest.raises(DomainError) as error:
        _staff_reviewer(cast, cast.erin)
    assert error.value.field == "expert"
    assert not cast.task_a.assignments.filter(expert__user=cast.erin).exists()
    # a deactivated account is inactive too, whatever the profile says
    cast.erin.expert_profile.status = "active"
    cast.erin.expert_profile.save()
    cast.erin.is_active = False
    cast.erin.save()
    assert "not active" in (checks.reviewer_refusal(cast.task_a, cast.erin.expert_profile) or "")


def test_a_reviewer_outside_the_tasks_domain_is_refused(cast: Cast) -> None:
    ExpertDomain.objects.filter(expert=cast.erin.expert_profile).update(domain="legal_services")
    with pytest.raises(DomainError) as error:
        _staff_reviewer(cast, cast.erin)
    assert error.value.field == "expert"
    assert "Technical analysis" in error.value.message
    assert not cast.task_a.assignments.filter(expert__user=cast.erin).exists()


def test_an_active_expert_in_the_domain_may_review(cast: Cast) -> None:
    assignment = _staff_reviewer(cast, cast.erin)
    assert assignment.role == "reviewer"


def test_a_registered_conflict_check_refuses_with_its_reason(cast: Cast) -> None:
    def conflicted(task: Task, expert: Any) -> str | None:
        return "Erin declared a conflict with Acme." if expert.user_id == cast.erin.pk else None

    checks.register_reviewer_check(conflicted)
    try:
        with pytest.raises(DomainError, match="declared a conflict"):
            _staff_reviewer(cast, cast.erin)
    finally:
        checks._REVIEWER_CHECKS.remove(conflicted)


def test_a_conflicted_reviewer_is_refused(cast: Cast) -> None:
    """A declared conflict with the client (kpo.compliance's check, which staffing runs for every role)."""
    from kpo.compliance.services import conflict_declare

    conflict_declare(user=cast.erin, expert=cast.erin.expert_profile, name="", client=cast.org_a)
    with pytest.raises(DomainError) as error:
        _staff_reviewer(cast, cast.erin)
    assert error.value.field == "expert" and "Erin" in error.value.message
    assert not cast.task_a.assignments.filter(expert__user=cast.erin).exists()


def test_makers_are_not_held_to_the_reviewer_rules(cast: Cast) -> None:
    ExpertDomain.objects.filter(expert=cast.erin.expert_profile).update(domain="legal_services")
    assignment = services.assignment_create(
        user=cast.pete,
        task=cast.task_a,
        expert=cast.erin.expert_profile,
        role="maker",
        planned_hours=Decimal(2),
    )
    assert assignment.role == "maker"


# --- the rubric -------------------------------------------------------------------------------------


def test_default_rubric_has_the_five_criteria(cast: Cast) -> None:
    criteria, own = rubric_criteria(cast.engagement_a)
    assert not own
    assert [c.name for c in criteria] == [
        "Accuracy",
        "Completeness",
        "Clarity",
        "Use of sources",
        "Timeliness",
    ]
    assert {c.weight for c in criteria} == {1}


def test_client_admin_configures_the_rubric(cast: Cast) -> None:
    rubric_update(user=cast.alice, engagement=cast.engagement_a, criteria=[("Accuracy", 3), (" Brevity ", 1)])
    criteria, own = rubric_criteria(cast.engagement_a)
    assert own and [(c.name, c.weight) for c in criteria] == [("Accuracy", 3), ("Brevity", 1)]


@pytest.mark.parametrize("who", ["bob", "pete", "rex", "aud"])
def test_only_the_client_admin_configures_the_rubric(cast: Cast, who: str) -> None:
    with pytest.raises(DomainError):
        rubric_update(user=cast.users()[who], engagement=cast.engagement_a, criteria=[("Accuracy", 1)])
    assert not Rubric.objects.exists()


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ([], "criteria"),
        ([("", 1)], "criteria.0.name"),
        ([("Accuracy", 1), ("accuracy", 2)], "criteria.1.name"),
        ([("Accuracy", 0)], "criteria.0.weight"),
        ([("Accuracy", 11)], "criteria.0.weight"),
        ([("Accuracy", "heavy")], "criteria.0.weight"),
        ([("x" * 101, 1)], "criteria.0.name"),
        ([(f"c{i}", 1) for i in range(11)], "criteria"),
    ],
)
def test_bad_rubrics_are_refused_by_field(cast: Cast, criteria: list[Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        rubric_update(user=cast.alice, engagement=cast.engagement_a, criteria=criteria)
    assert field in error.value.message_dict
    assert not Rubric.objects.exists()


def test_weighted_score_is_the_weighted_mean() -> None:
    rows = [{"name": "A", "weight": 3, "score": 5}, {"name": "B", "weight": 1, "score": 1}]
    assert weighted_score(rows) == Decimal("4.00")  # (3*5 + 1*1) / 4
    rows = [{"name": "A", "weight": 1, "score": 4}, {"name": "B", "weight": 2, "score": 5}]
    assert weighted_score(rows) == Decimal("4.67")  # 14 / 3 = 4.666... rounds half up


# --- reviews ----------------------------------------------------------------------------------------


def test_a_passing_review_delivers_and_is_audited(cast: Cast) -> None:
    task = _in_review(cast)
    review = pass_review(cast.rex, task, value=5, comment="Solid.")
    assert task.status == "delivered"
    assert review.version == cast.version_a and review.round == 1 and review.score == Decimal("5.00")
    assert [row["score"] for row in review.scores] == [5] * 5
    last = TaskTransition.objects.filter(task=task).last()
    assert last is not None and (last.from_status, last.to_status, last.actor) == (
        "in_review",
        "delivered",
        cast.rex,
    )
    entry = AuditEntry.objects.filter(event="review_recorded").get()
    assert entry.details["decision"] == "pass" and entry.object_id == str(task.pk)
    assert Notice.objects.filter(user=cast.carol, kind="review").exists()


def test_sending_back_returns_the_task_with_the_comment(cast: Cast) -> None:
    task = _in_review(cast)
    review_record(
        user=cast.rex,
        task=task,
        scores=scores_for(task, 2),
        decision="send_back",
        comment="Cite the sources.",
    )
    task.refresh_from_db()
    assert task.status == "in_progress"
    last = TaskTransition.objects.filter(task=task).last()
    assert last is not None and last.to_status == "in_progress" and last.comment == "Cite the sources."
    assert "Cite the sources." in Notice.objects.get(user=cast.carol, kind="review").text


def test_sending_back_needs_a_comment(cast: Cast) -> None:
    task = _in_review(cast)
    before = _unchanged(task)
    with pytest.raises(ValidationError) as error:
        review_record(user=cast.rex, task=task, scores=scores_for(task, 2), decision="send_back", comment=" ")
    assert "comment" in error.value.message_dict
    assert _unchanged(task) == before


@pytest.mark.parametrize("value", [0, 6, -1, "five", 4.5, None, True])
def test_scores_out_of_range_are_refused_by_criterion(cast: Cast, value: Any) -> None:
    task = _in_review(cast)
    before = _unchanged(task)
    scores = scores_for(task)
    scores["Clarity"] = value
    with pytest.raises(ValidationError) as error:
        review_record(user=cast.rex, task=task, scores=scores, decision="pass")
    assert list(error.value.message_dict) == ["scores.Clarity"]
    assert _unchanged(task) == before


def test_every_criterion_and_only_the_rubrics_criteria_are_scored(cast: Cast) -> None:
    task = _in_review(cast)
    before = _unchanged(task)
    missing = scores_for(task)
    del missing["Timeliness"]
    with pytest.raises(ValidationError) as error:
        review_record(user=cast.rex, task=task, scores=missing, decision="pass")
    assert list(error.value.message_dict) == ["scores.Timeliness"]
    extra = {**scores_for(task), "Style": 5}
    with pytest.raises(ValidationError) as error:
        review_record(user=cast.rex, task=task, scores=extra, decision="pass")
    assert list(error.value.message_dict) == ["scores.Style"]
    with pytest.raises(ValidationError) as error:
        review_record(user=cast.rex, task=task, scores=scores_for(task), decision="maybe")
    assert list(error.value.message_dict) == ["decision"]
    assert _unchanged(task) == before


def test_work_not_in_review_cannot_be_reviewed(cast: Cast) -> None:
    before = _unchanged(cast.task_a)  # in progress
    with pytest.raises(DomainError) as error:
        review_record(user=cast.rex, task=cast.task_a, scores=scores_for(cast.task_a), decision="pass")
    assert error.value.field == "status" and "In progress" in error.value.message
    assert _unchanged(cast.task_a) == before


@pytest.mark.parametrize("who", ["carol", "pete", "bob", "alice", "erin", "aud"])
def test_only_the_assigned_reviewer_reviews(cast: Cast, who: str) -> None:
    task = _in_review(cast)
    before = _unchanged(task)
    with pytest.raises(DomainError) as error:
        review_record(user=cast.users()[who], task=task, scores=scores_for(task), decision="pass")
    assert error.value.field == "reviewer"
    assert _unchanged(task) == before


def test_reviews_use_the_engagements_own_rubric(cast: Cast) -> None:
    rubric_update(user=cast.alice, engagement=cast.engagement_a, criteria=[("Rigour", 3), ("Brevity", 1)])
    task = _in_review(cast)
    review = review_record(user=cast.rex, task=task, scores={"Rigour": 5, "Brevity": 1}, decision="pass")
    assert review.score == Decimal("4.00")
    assert review.scores == [
        {"name": "Rigour", "weight": 3, "score": 5},
        {"name": "Brevity", "weight": 1, "score": 1},
    ]


# --- only passed work reaches the client --------------------------------------------------------------


def test_delivery_needs_a_passing_review_of_the_latest_version(cast: Cast) -> None:
    task = _in_review(cast)
    before = _unchanged(task)
    for who in (cast.pete, cast.rex):  # the lifecycle step itself, without a review
        with pytest.raises(DomainError) as error:
            services.task_transition(user=who, task=task, target="delivered")
        assert error.value.field == "review"
        assert "Only passed work reaches the client" in error.value.message
    assert _unchanged(task) == before


def test_a_send_back_review_does_not_open_the_way(cast: Cast) -> None:
    task = _in_review(cast)
    review_record(
        user=cast.rex, task=task, scores=scores_for(task, 2), decision="send_back", comment="Fix it."
    )
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    with pytest.raises(DomainError):
        services.task_transition(user=cast.pete, task=task, target="delivered")


def test_a_pass_from_an_earlier_round_does_not_count(cast: Cast) -> None:
    task = _in_review(cast)
    pass_review(cast.rex, task)
    task = services.task_transition(user=cast.bob, task=task, target="changes_requested", comment="More.")
    task = services.task_transition(user=cast.carol, task=task, target="in_progress")
    task = services.task_transition(user=cast.carol, task=task, target="in_review")  # the same version again
    assert checks.review_round(task) == 2 and not checks.has_passing_review(task)
    with pytest.raises(DomainError) as error:
        services.task_transition(user=cast.pete, task=task, target="delivered")
    assert error.value.field == "review"
    review = pass_review(cast.rex, task)
    assert review.round == 2 and task.status == "delivered"


def test_a_new_version_needs_its_own_review(cast: Cast) -> None:
    task = _in_review(cast)
    review_record(user=cast.rex, task=task, scores=scores_for(task, 2), decision="send_back", comment="Redo.")
    task.refresh_from_db()
    version = services.deliverable_upload(
        user=cast.carol,
        task=task,
        upload=services.Upload(stream=io.BytesIO(b"v2"), name="report-v2.txt"),
        deliverable=cast.deliverable_a,
    )
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    assert checks.latest_version(task) == version
    review = pass_review(cast.rex, task)
    assert review.version == version and task.status == "delivered"
