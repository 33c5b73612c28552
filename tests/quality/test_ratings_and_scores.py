"""Client acceptance and ratings, and the quality score at the Django level on hand-checked cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.experts.models import ExpertProfile
from kpo.matching.records import expert_records
from kpo.quality.models import ClientRating, QualityScore, Review
from kpo.quality.scores import quality_refresh, quality_refresh_all
from kpo.quality.selectors import quality_columns
from kpo.quality.services import rating_record, review_record
from kpo.work import services
from kpo.work.models import Assignment, Deliverable, DeliverableVersion, Task, TaskTransition
from tests.cast import Cast
from tests.quality.helpers import pass_review, scores_for

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _delivered(cast: Cast, value: int = 4) -> Task:
    task = services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")
    pass_review(cast.rex, task, value=value)
    return task


def _state(task: Task) -> tuple[Any, ...]:
    return (Task.objects.get(pk=task.pk).status, ClientRating.objects.count(), TaskTransition.objects.count())


def _score(user: Any, domain: str = "") -> QualityScore:
    return QualityScore.objects.get(expert=user.expert_profile, domain=domain)


# --- acceptance and ratings ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_the_client_accepts_with_a_rating(cast: Cast, who: str) -> None:
    task = _delivered(cast)
    rating = rating_record(
        user=cast.users()[who], task=task, decision="accept", stars=5, feedback="Exactly what we needed."
    )
    task.refresh_from_db()
    assert task.status == "accepted" and rating.stars == 5 and rating.version == cast.version_a
    entry = AuditEntry.objects.filter(event="rating_recorded").get()
    assert entry.details == {"rating": rating.pk, "decision": "accept", "stars": 5}
    assert _score(cast.carol).ratings == 1


@pytest.mark.parametrize("who", ["pete", "carol", "rex", "erin", "aud", "dave"])
def test_ratings_by_anyone_but_the_client_are_refused(cast: Cast, who: str) -> None:
    task = _delivered(cast)
    before = _state(task)
    with pytest.raises(DomainError) as error:
        rating_record(user=cast.users()[who], task=task, decision="accept", stars=5)
    assert error.value.field == "rated_by"
    assert "client" in error.value.message
    assert _state(task) == before


@pytest.mark.parametrize(
    ("decision", "stars", "feedback", "field"),
    [
        ("accept", None, "", "stars"),
        ("accept", 0, "", "stars"),
        ("accept", 6, "", "stars"),
        ("request_changes", None, "  ", "feedback"),
        ("approve", 5, "", "decision"),
    ],
)
def test_bad_ratings_are_refused_by_field(
    cast: Cast, decision: str, stars: int | None, feedback: str, field: str
) -> None:
    task = _delivered(cast)
    before = _state(task)
    with pytest.raises(ValidationError) as error:
        rating_record(user=cast.bob, task=task, decision=decision, stars=stars, feedback=feedback)
    assert list(error.value.message_dict) == [field]
    assert _state(task) == before


def test_only_a_delivered_task_is_accepted_or_sent_back(cast: Cast) -> None:
    before = _state(cast.task_a)  # in progress
    for decision in ("accept", "request_changes"):
        with pytest.raises(DomainError) as error:
            rating_record(user=cast.bob, task=cast.task_a, decision=decision, stars=4, feedback="x")
        assert error.value.field == "status"
    assert _state(cast.task_a) == before


def test_requesting_changes_counts_rework(cast: Cast) -> None:
    task = _delivered(cast)
    rating_record(user=cast.bob, task=task, decision="request_changes", feedback="Add line 4.")
    task.refresh_from_db()
    assert task.status == "changes_requested"
    assert TaskTransition.objects.filter(task=task).last().comment == "Add line 4."  # type: ignore[union-attr]
    score = _score(cast.carol)
    assert (score.rework_rounds, score.reviews, score.deliveries, score.on_time) == (1, 1, 1, 1)


def test_a_delivery_is_not_accepted_without_its_rating(cast: Cast) -> None:
    task = _delivered(cast)
    with pytest.raises(DomainError) as bare:
        services.task_transition(user=cast.bob, task=task, target="accepted")
    assert bare.value.field == "stars"
    with pytest.raises(ValidationError) as unrated:
        rating_record(user=cast.bob, task=task, decision="accept", feedback="Fine.")
    assert "stars" in unrated.value.message_dict
    task.refresh_from_db()
    assert task.status == "delivered" and not ClientRating.objects.filter(task=task).exists()
    rating_record(user=cast.bob, task=task, decision="accept", stars=5)
    task.refresh_from_db()
    assert task.status == "accepted"


def test_rating_after_a_plain_acceptance_once(cast: Cast) -> None:
    task = _delivered(cast)
    with pytest.raises(DomainError) as early:
        rating_record(user=cast.bob, task=task, decision="rate", stars=4)
    assert early.value.field == "status"
    Task.objects.filter(pk=task.pk).update(status="accepted")  # accepted before ratings were required
    task.refresh_from_db()
    rating_record(user=cast.alice, task=task, decision="rate", stars=4, feedback="Good.")
    with pytest.raises(DomainError) as twice:
        rating_record(user=cast.bob, task=task, decision="rate", stars=1)
    assert twice.value.field == "stars"
    assert ClientRating.objects.filter(task=task).count() == 1


# --- the quality score on hand-checked cases ---------------------------------------------------------
# Prior Beta(2.8, 1.2): mean 0.7, strength 4. Rubric and ratings weigh 1, rework and timeliness 0.5;
# evidence halves in weight every 365 days. Scores below are on the 0-1 scale the table stores.


def _made_task(cast: Cast, maker: ExpertProfile, n: int, due: dt.datetime | None = None) -> Task:
    task = Task.objects.create(
        engagement=cast.engagement_a,
        title=f"Made {n}",
        description="x",
        effort_hours=Decimal(1),
        due_at=due or timezone.now() + dt.timedelta(days=3),
        status="accepted",
        created_by=cast.bob,
    )
    Assignment.objects.create(task=task, expert=maker, role="maker", planned_hours=1, assigned_by=cast.pete)
    return task


def _reviewed(cast: Cast, maker: ExpertProfile, scores: list[int]) -> None:
    """One task per score, each with one review whose every criterion got that score."""
    for n, value in enumerate(scores):
        task = _made_task(cast, maker, n)
        deliverable = Deliverable.objects.create(task=task, title="R", created_by=maker.user)
        version = DeliverableVersion.objects.create(
            deliverable=deliverable,
            number=1,
            file="r.txt",
            original_name="r.txt",
            content_type="text/plain",
            size=1,
            sha256="0" * 64,
            uploaded_by=maker.user,
        )
        Review.objects.create(
            task=task,
            version=version,
            reviewer=ExpertProfile.objects.get(user__username="rex"),
            reviewed_by=ExpertProfile.objects.get(user__username="rex").user,
            decision="pass",
            scores=[{"name": "Accuracy", "weight": 1, "score": value}],
            score=Decimal(value),
        )


def test_one_perfect_review(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    _reviewed(cast, carol, [5])
    quality_refresh(expert_ids=[carol.pk])
    score = _score(cast.carol)
    assert score.mean == pytest.approx(3.8 / 5.0)  # (2.8 + 1) / (2.8 + 1 + 1.2)
    assert score.lower < score.mean < score.upper and score.reviews == 1
    assert _score(cast.carol, "technical_analysis").reviews == 1


FRESH_PERFECT_REVIEW = 3.8 / 5.0  # (2.8 + 1) / (2.8 + 1 + 1.2): no decay at age 0


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2027, 1, 14, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 14, 23, 30, tzinfo=dt.UTC),  # 00:30 on the 15th in Copenhagen
        dt.datetime(2027, 7, 14, 22, 30, tzinfo=dt.UTC),  # 00:30 on the 15th in Copenhagen (summer)
    ],
    ids=["noon", "utc-2330", "cph-0030-summer"],
)
def test_a_fresh_review_has_age_zero_at_any_hour(cast: Cast, moment: dt.datetime) -> None:
    carol = cast.carol.expert_profile
    with time_machine.travel(moment, tick=False):
        _reviewed(cast, carol, [5])
        quality_refresh(expert_ids=[carol.pk])
    score = QualityScore.objects.get(expert=carol, domain="")
    assert score.mean == pytest.approx(FRESH_PERFECT_REVIEW)


def test_a_year_old_review_weighs_half(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    _reviewed(cast, carol, [5])
    Review.objects.update(created_at=timezone.now() - dt.timedelta(days=365))
    quality_refresh(expert_ids=[carol.pk])
    assert _score(cast.carol).mean == pytest.approx(3.3 / 4.5)  # (2.8 + 0.5) / (2.8 + 0.5 + 1.2)


def test_a_client_rating_of_four_stars(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    task = _made_task(cast, carol, 1)
    ClientRating.objects.create(task=task, rated_by=cast.bob, decision="accept", stars=4)
    quality_refresh(expert_ids=[carol.pk])
    assert _score(cast.carol).mean == pytest.approx(3.55 / 5.0)  # (2.8 + 0.75) / (4 + 1)


def test_rework_and_late_delivery_count_against(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    now = timezone.now()
    task = _made_task(cast, carol, 1, due=now - dt.timedelta(days=1))
    for status in ("delivered", "changes_requested", "delivered"):
        TaskTransition.objects.create(
            task=task, actor=cast.rex, from_status="in_review", to_status=status, at=now
        )
    quality_refresh(expert_ids=[carol.pk])
    score = _score(cast.carol)
    # one late delivery (only the first counts) and one round of rework: two failures of weight 0.5
    assert score.mean == pytest.approx(2.8 / 5.0)  # 2.8 / (2.8 + 1.2 + 0.5 + 0.5)
    assert (score.deliveries, score.on_time, score.rework_rounds) == (1, 0, 1)


def test_an_on_time_delivery_counts_for(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    task = _made_task(cast, carol, 1)
    TaskTransition.objects.create(
        task=task, actor=cast.rex, from_status="in_review", to_status="delivered", at=timezone.now()
    )
    quality_refresh(expert_ids=[carol.pk])
    assert _score(cast.carol).mean == pytest.approx(3.3 / 4.5)
    assert _score(cast.carol).on_time == 1


def test_two_good_reviews_do_not_outrank_fifty(cast: Cast) -> None:
    """A newcomer with two 5/5 reviews against a proven expert with fifty averaging 4.6/5."""
    newcomer, proven = cast.carol.expert_profile, cast.erin.expert_profile
    _reviewed(cast, newcomer, [5, 5])
    _reviewed(cast, proven, [5] * 30 + [4] * 20)
    assert sum([5] * 30 + [4] * 20) / 50 == 4.6
    quality_refresh_all()
    new, old = _score(cast.carol), _score(cast.erin)
    # newcomer: Beta(2.8 + 2, 1.2) = Beta(4.8, 1.2); proven: Beta(2.8 + 30 + 15, 1.2 + 5) = Beta(47.8, 6.2)
    assert new.mean == pytest.approx(4.8 / 6.0)
    assert old.mean == pytest.approx(47.8 / 54.0)
    assert new.upper - new.lower > 2 * (old.upper - old.lower)  # far less certain
    assert old.lower > new.lower  # matching ranks by the lower bound
    records = {r.id: r for r in expert_records(timezone.now())}
    assert records[proven.pk].quality == pytest.approx(old.lower)
    assert records[newcomer.pk].quality == pytest.approx(new.lower)
    assert records[proven.pk].quality > records[newcomer.pk].quality  # type: ignore[operator]
    assert records[cast.rex.expert_profile.pk].quality is None  # no evidence: neutral in matching


def test_matching_reads_every_score_in_one_query(cast: Cast, django_assert_num_queries: Any) -> None:
    _reviewed(cast, cast.carol.expert_profile, [4])
    quality_refresh_all()
    with django_assert_num_queries(1):
        columns = quality_columns()
    assert set(columns) == {cast.carol.expert_profile.pk}


def test_scores_follow_the_whole_flow(cast: Cast) -> None:
    task = services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")
    review_record(user=cast.rex, task=task, scores=scores_for(task, 2), decision="send_back", comment="Redo")
    first = _score(cast.carol)
    assert (first.reviews, first.deliveries) == (1, 0)
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    pass_review(cast.rex, task, value=5)
    second = _score(cast.carol)
    assert (second.reviews, second.deliveries, second.on_time) == (2, 1, 1)
    rating_record(user=cast.bob, task=task, decision="accept", stars=5)
    third = _score(cast.carol)
    assert third.ratings == 1 and third.mean > second.mean > first.mean
    assert not QualityScore.objects.filter(
        expert=cast.rex.expert_profile
    ).exists()  # reviewers are not scored
