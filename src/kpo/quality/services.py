"""Writes for independent review, client acceptance and ratings, rubrics and the cached quality scores.

- `rubric_update`: the client admin sets an engagement's criteria and weights.
- `review_record`: the task's assigned reviewer scores the latest deliverable version while the task is
  in review and passes it (the task is delivered) or sends it back (the task returns to the maker with
  the comment). Only passed work reaches the client: kpo.work.services refuses in_review -> delivered
  without a passing review of the latest version in this round (Precondition.HAS_PASSING_REVIEW).
- `rating_record`: the client (its admins and requesters, the people who may accept the task) accepts a
  delivery with 1-5 stars and feedback, requests changes (a round of rework), or rates after a plain
  acceptance.

Both refresh the makers' cached quality scores (kpo.quality.scores) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.engine.lifecycle import Capacity, TaskState
from kpo.notices.services import notice_send
from kpo.quality.access import can_configure_rubric
from kpo.quality.checks import latest_version, review_round
from kpo.quality.models import (
    CRITERION_NAME_MAX,
    MAX_CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    ClientRating,
    RatingDecision,
    Review,
    ReviewDecision,
    Rubric,
)
from kpo.quality.scores import makers_of, quality_refresh
from kpo.quality.selectors import rubric_criteria, task_is_rated
from kpo.work.access import task_capacities
from kpo.work.models import AssignmentRole, Engagement, Task
from kpo.work.services import task_transition

MAX_COMMENT = 20_000


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@transaction.atomic
def rubric_update(*, user: User, engagement: Engagement, criteria: Sequence[tuple[str, int]]) -> Rubric:
    """Replace the engagement's criteria (1-10 of them, distinct names, weights 1-10)."""
    if not can_configure_rubric(user, engagement):
        raise DomainError(_("Only the client's admins change the review rubric."), field="criteria")
    if not criteria:
        raise ValidationError({"criteria": _("A rubric needs at least one criterion.")})
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(
            {"criteria": _("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA}}
        )
    cleaned: list[dict[str, object]] = []
    seen: set[str] = set()
    for index, (raw_name, raw_weight) in enumerate(criteria):
        name = " ".join(str(raw_name).split())
        if not name:
            raise ValidationError({f"criteria.{index}.name": _("Name the criterion.")})
        if len(name) > CRITERION_NAME_MAX:
            raise ValidationError(
                {
                    f"criteria.{index}.name": _("A criterion's name has at most %(max)s characters.")
                    % {"max": CRITERION_NAME_MAX}
                }
            )
        if name.casefold() in seen:
            raise ValidationError(
                {f"criteria.{index}.name": _("“%(name)s” is listed twice.") % {"name": name}}
            )
        seen.add(name.casefold())
        weight = _whole_number(raw_weight)
        if weight is None or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise ValidationError(
                {
                    f"criteria.{index}.weight": _("A weight is a whole number from %(min)s to %(max)s.")
                    % {"min": WEIGHT_MIN, "max": WEIGHT_MAX}
                }
            )
        cleaned.append({"name": name, "weight": weight})
    rubric, _created = Rubric.objects.get_or_create(
        engagement=engagement, defaults={"criteria": cleaned, "updated_by": user}
    )
    rubric.criteria = cleaned
    rubric.updated_by = user
    rubric.full_clean()
    rubric.save()
    return rubric


def _checked_scores(
    criteria: Sequence[tuple[str, int]], scores: Mapping[str, object]
) -> list[dict[str, object]]:
    """One 1-5 whole-number score per criterion of the rubric, nothing else; errors name the criterion."""
    names = {name for name, _weight in criteria}
    unknown = sorted(set(scores) - names)
    if unknown:
        raise ValidationError(
            {
                f"scores.{unknown[0]}": _("“%(name)s” is not a criterion of this engagement's rubric.")
                % {"name": unknown[0]}
            }
        )
    rows: list[dict[str, object]] = []
    for name, weight in criteria:
        if name not in scores or scores[name] in (None, ""):
            raise ValidationError({f"scores.{name}": _("Score “%(name)s”.") % {"name": name}})
        value = _whole_number(scores[name])
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError(
                {
                    f"scores.{name}": _("A score is a whole number from %(min)s to %(max)s.")
                    % {"min": SCORE_MIN, "max": SCORE_MAX}
                }
            )
        rows.append({"name": name, "weight": weight, "score": value})
    return rows


def weighted_score(rows: Sequence[Mapping[str, object]]) -> Decimal:
    """The weighted mean of the scores, to two decimals (half up)."""
    total = sum(int(str(r["weight"])) for r in rows)
    mean = Decimal(sum(int(str(r["weight"])) * int(str(r["score"])) for r in rows)) / Decimal(total)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _maker_users(task: Task) -> list[User]:
    return list(
        User.objects.filter(
            expert_profile__assignments__task=task, expert_profile__assignments__role=AssignmentRole.MAKER
        )
    )


def _task_url(task: Task) -> str:
    return reverse("task_detail", kwargs={"task_id": task.pk})


def _review_notice_text(title: str, *, passed: bool, comment: str) -> str:
    if passed:
        return _("“%(title)s” passed review and was delivered to the client.") % {"title": title}
    return _("“%(title)s” was sent back by its reviewer: %(comment)s") % {
        "title": title,
        "comment": comment[:200],
    }


@transaction.atomic
def review_record(
    *,
    user: User,
    task: Task,
    scores: Mapping[str, object],
    decision: str,
    comment: str = "",
) -> Review:
    """The assigned reviewer's review of the latest version; passing delivers, sending back returns it."""
    task = Task.objects.select_for_update().select_related("engagement").get(pk=task.pk)
    if Capacity.REVIEWER not in task_capacities(user, task):
        raise DomainError(_("Only the task's assigned reviewer reviews its deliverable."), field="reviewer")
    if task.status != TaskState.IN_REVIEW.value:
        raise DomainError(
            _("Only work in review can be reviewed; this task is “%(status)s”.")
            % {"status": task.get_status_display()},
            field="status",
        )
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose pass or send back.")})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("The comment is too long.")})
    if decision == ReviewDecision.SEND_BACK and not comment:
        raise ValidationError({"comment": _("Say what the maker should fix.")})
    version = latest_version(task)
    if version is None:
        raise DomainError(_("There is no deliverable to review."), field="version")
    criteria, _own = rubric_criteria(task.engagement)
    rows = _checked_scores([(c.name, c.weight) for c in criteria], scores)
    reviewer = (
        task.assignments.select_related("expert").get(expert__user=user, role=AssignmentRole.REVIEWER).expert
    )
    review = Review(
        task=task,
        version=version,
        reviewer=reviewer,
        reviewed_by=user,
        decision=decision,
        scores=rows,
        score=weighted_score(rows),
        comment=comment,
        round=review_round(task),
    )
    review.full_clean()
    review.save()
    details = {
        "review": review.pk,
        "version": version.pk,
        "decision": decision,
        "score": str(review.score),
        "round": review.round,
    }
    audit(user, AuditEvent.REVIEW_RECORDED, ("task", task.pk), task.engagement.client, details)
    if decision == ReviewDecision.PASS:
        note = _("Review passed: %(score)s / 5.") % {"score": review.score}
        task_transition(user=user, task=task, target=TaskState.DELIVERED.value, comment=comment or note)
    else:
        task_transition(user=user, task=task, target=TaskState.IN_PROGRESS.value, comment=comment)
    text = partial(_review_notice_text, task.title, passed=decision == ReviewDecision.PASS, comment=comment)
    notice_send(
        users=_maker_users(task), kind="review", text=text, url=_task_url(task), key=f"review-{review.pk}"
    )
    quality_refresh(expert_ids=makers_of(task))
    return review


@transaction.atomic
def rating_record(
    *,
    user: User,
    task: Task,
    decision: str,
    stars: int | None = None,
    feedback: str = "",
) -> ClientRating:
    """The client's decision on a delivery with its rating (see the module docstring)."""
    task = Task.objects.select_for_update().select_related("engagement").get(pk=task.pk)
    if Capacity.CLIENT not in task_capacities(user, task):
        raise DomainError(
            _("Only the client's admins and requesters accept and rate a delivery."), field="rated_by"
        )
    if decision not in RatingDecision.values:
        raise ValidationError({"decision": _("Choose accept, request changes or rate.")})
    feedback = feedback.strip()
    if len(feedback) > MAX_COMMENT:
        raise ValidationError({"feedback": _("The feedback is too long.")})
    if stars is not None and (isinstance(stars, bool) or not SCORE_MIN <= stars <= SCORE_MAX):
        raise ValidationError(
            {"stars": _("A rating is from %(min)s to %(max)s stars.") % {"min": SCORE_MIN, "max": SCORE_MAX}}
        )
    if decision == RatingDecision.RATE:
        if task.status != TaskState.ACCEPTED.value:
            raise DomainError(
                _("Rate a delivery once it is accepted, or accept it with a rating."), field="status"
            )
        if task_is_rated(task):
            raise DomainError(_("This delivery has been rated already."), field="stars")
    elif task.status != TaskState.DELIVERED.value:
        raise DomainError(
            _("Only a delivered task can be accepted or sent back; this task is “%(status)s”.")
            % {"status": task.get_status_display()},
            field="status",
        )
    if decision in (RatingDecision.ACCEPT, RatingDecision.RATE) and stars is None:
        raise ValidationError({"stars": _("Give the delivery 1 to 5 stars.")})
    if decision == RatingDecision.REQUEST_CHANGES and not feedback:
        raise ValidationError({"feedback": _("Say what should change.")})
    rating = ClientRating(
        task=task,
        version=latest_version(task),
        rated_by=user,
        decision=decision,
        stars=stars,
        feedback=feedback,
    )
    rating.full_clean()
    rating.save()
    details = {"rating": rating.pk, "decision": decision, "stars": stars}
    audit(user, AuditEvent.RATING_RECORDED, ("task", task.pk), task.engagement.client, details)
    if decision == RatingDecision.ACCEPT:
        task_transition(user=user, task=task, target=TaskState.ACCEPTED.value, comment=feedback)
    elif decision == RatingDecision.REQUEST_CHANGES:
        task_transition(user=user, task=task, target=TaskState.CHANGES_REQUESTED.value, comment=feedback)
    quality_refresh(expert_ids=makers_of(task))
    return rating
