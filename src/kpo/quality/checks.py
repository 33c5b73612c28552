"""The maker-checker rules: who may be a task's reviewer, and whether the task's latest work has
passed review (the lifecycle precondition `HAS_PASSING_REVIEW` of in_review -> delivered). Both are
registered with kpo.work.extensions (QualityConfig.ready), which runs them when a task is staffed or moved.

Conflicts of interest: kpo.compliance's assignment check (declared conflicts, recent employment at the
client's competitors, data residency) runs for every role, reviewers included, before these rules.
`register_reviewer_check(fn)` adds further reviewer-only checks `fn(task, expert) -> str | None` (a
refusal reason or None).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from kpo.engine.lifecycle import TaskState
from kpo.experts.models import ExpertDomain, ExpertProfile, ExpertStatus
from kpo.quality.models import ClientRating, RatingDecision, Review, ReviewDecision
from kpo.work.models import AssignmentRole, DeliverableVersion, Task, TaskTransition

ReviewerCheck = Callable[[Task, ExpertProfile], str | None]

_REVIEWER_CHECKS: list[ReviewerCheck] = []


def register_reviewer_check(check: ReviewerCheck) -> None:
    """Add a conflict check every reviewer assignment must pass (e.g. conflicts of interest)."""
    if check not in _REVIEWER_CHECKS:
        _REVIEWER_CHECKS.append(check)


def reviewer_refusal(task: Task, expert: ExpertProfile) -> str | None:
    """Why `expert` cannot review `task`, or None: not its maker, active, in its domain, no conflict."""
    if task.assignments.filter(expert=expert, role=AssignmentRole.MAKER).exists():
        return _("The maker of a task cannot also review it: maker and checker must be different people.")
    if expert.status != ExpertStatus.ACTIVE or not expert.user.is_active:
        return _("%(name)s is not active and cannot review work.") % {"name": expert.display_name}
    domain = task.engagement.domain
    if domain and not ExpertDomain.objects.filter(expert=expert, domain=domain).exists():
        return _("%(name)s does not work in this task's domain (%(domain)s) and cannot review it.") % {
            "name": expert.display_name,
            "domain": task.engagement.get_domain_display(),
        }
    for check in _REVIEWER_CHECKS:
        reason = check(task, expert)
        if reason:
            return reason
    return None


def reviewer_check(task: Task, expert: ExpertProfile, role: str) -> str | None:
    """The assignment check for kpo.work.extensions: `reviewer_refusal` for a reviewer, else None."""
    return reviewer_refusal(task, expert) if role == AssignmentRole.REVIEWER else None


def latest_version(task: Task) -> DeliverableVersion | None:
    """The task's most recently uploaded deliverable version (of any of its deliverables)."""
    return (
        DeliverableVersion.objects.filter(deliverable__task=task)
        .select_related("deliverable")
        .order_by("-id")
        .first()
    )


def review_round(task: Task) -> int:
    """How many times the task has been sent to review: the current round while it is in review."""
    return TaskTransition.objects.filter(task=task, to_status=TaskState.IN_REVIEW.value).count()


def has_passing_review(task: Task) -> bool:
    """A passing review of the task's latest version in the current review round exists."""
    version_id = (
        DeliverableVersion.objects.filter(deliverable__task=task).order_by("-id").values_list("id", flat=True)
    ).first()
    if version_id is None:
        return False
    return Review.objects.filter(
        task=task, version_id=version_id, decision=ReviewDecision.PASS, round=review_round(task)
    ).exists()


def accepting_rating_holds(task: Task) -> bool:
    """The precondition HAS_ACCEPTING_RATING for kpo.work.extensions: delivered, and the client's rating of
    the latest version accepts it (kpo.quality.services.rating_record records it, then accepts)."""
    if task.status != TaskState.DELIVERED.value:
        return False
    version = latest_version(task)
    return ClientRating.objects.filter(task=task, version=version, decision=RatingDecision.ACCEPT).exists()


def passing_review_holds(task: Task) -> bool:
    """The precondition HAS_PASSING_REVIEW for kpo.work.extensions: in review, and passed."""
    return task.status == TaskState.IN_REVIEW.value and has_passing_review(task)
