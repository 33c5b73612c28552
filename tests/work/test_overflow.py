"""Overflow pools: approval, release, take and recall; who sees a released task; every eligibility
rule applied to the overflow provider's experts (NDA, conflicts of interest, data residency, clearance,
vetting: an expert failing one is not offered and cannot be assigned); bad input; the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.core.errors import DomainError
from kpo.matching.access import access_task_for_matching
from kpo.matching.selectors import why_not_for
from kpo.notices.models import Notice
from kpo.work import overflow
from kpo.work.access import tasks_visible_to
from kpo.work.models import Assignment, OverflowProvider, ReleaseStatus, Task, TaskRelease
from tests.cast import Cast
from tests.pages import duplicate_ids
from tests.work.overflow_pool import RULES, Pool, waiting_task


@pytest.fixture
def pool(cast: Cast) -> Pool:
    return Pool(cast)


def test_an_overflow_expert_who_meets_every_rule_is_offered_and_assigned(pool: Pool) -> None:
    pool.taken()
    assert pool.shortlist_ids() == [pool.felix.pk]  # only the overflow provider's own experts
    response = pool.assign()
    assert response.status_code == 302
    assert Assignment.objects.filter(task=pool.task, expert=pool.felix, assigned_by=pool.fiona).exists()


@pytest.mark.parametrize(("breaks", "rule"), RULES)
def test_each_rule_applies_to_the_overflow_pool(pool: Pool, breaks: Any, rule: str) -> None:
    pool.taken()
    breaks(pool)
    pool.felix.refresh_from_db()
    assert pool.felix.pk not in pool.shortlist_ids()  # not offered
    task = Task.objects.select_related("engagement__client", "engagement__provider").get(pk=pool.task.pk)
    why = why_not_for(task, pool.felix, now=timezone.now())
    assert rule in [failure.rule for failure in why.failures]
    response = pool.assign()  # cannot be assigned: the picker refuses, naming the rule
    assert response.status_code == 400
    assert "may not do this task" in response.content.decode()
    assert not Assignment.objects.filter(task=pool.task, expert=pool.felix).exists()


def test_only_released_tasks_are_seen_by_approved_overflow_managers(pool: Pool, cast: Cast) -> None:
    fiona_client, quinn_client = Client(), Client()
    fiona_client.force_login(pool.fiona)
    quinn_client.force_login(cast.quinn)
    url = reverse("task_detail", kwargs={"task_id": pool.task.pk})
    pool.approve()
    assert fiona_client.get(url).status_code == 404  # approved, but nothing released yet
    release = pool.release()
    assert list(tasks_visible_to(pool.fiona)) == [pool.task]  # not task A, not the draft
    assert fiona_client.get(url).status_code == 200
    assert fiona_client.get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).status_code == 404
    assert (
        fiona_client.get(
            reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
        ).status_code
        == 404
    )
    assert quinn_client.get(url).status_code == 404  # a provider the client did not approve sees nothing
    assert quinn_client.get(reverse("overflow_pool")).content.count(b"Overflow line study") == 0
    assert b"Overflow line study" in fiona_client.get(reverse("overflow_pool")).content
    overflow.release_recall(user=cast.bob, release=release)
    assert fiona_client.get(url).status_code == 404  # recalled: gone again


def test_an_overflow_manager_takes_and_staffs_only_with_own_experts(pool: Pool, cast: Cast) -> None:
    pool.approve()
    release = pool.release()
    assert not access_task_for_matching(pool.fiona, pool.task.pk).can_assign  # not before taking it
    client = Client()
    client.force_login(pool.fiona)
    response = client.post(
        reverse("release_take", kwargs={"task_release_id": release.pk}), {"reason": "Free"}
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.status, release.taken_by, release.taken_by_organisation) == (
        "taken",
        pool.fiona,
        pool.org,
    )
    assert release.take_reason == "Free"
    carol = cast.carol.expert_profile
    with pytest.raises(DomainError, match="own experts"):
        from kpo.work.services import assignment_create

        assignment_create(
            user=pool.fiona, task=pool.task, expert=carol, role="maker", planned_hours=Decimal(5)
        )
    with pytest.raises(DomainError, match="nobody has taken"):
        overflow.release_recall(user=cast.bob, release=release)  # taken: no recall


def test_release_notifies_the_overflow_managers(pool: Pool) -> None:
    pool.approve()
    pool.release()
    notice = Notice.objects.get(user=pool.fiona, kind="task_released")
    assert "Overflow line study" in notice.text


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_release_needs_a_reason(pool: Pool, cast: Cast, client_for: Any, reason: str) -> None:
    pool.approve()
    response = client_for("pete").post(
        reverse("task_release", kwargs={"task_id": pool.task.pk}), {"reason": reason}
    )
    assert response.status_code == 400
    assert "Reason" in response.content.decode() and "required" in response.content.decode()
    assert not TaskRelease.objects.exists()


def test_bad_releases_and_approvals_are_refused(pool: Pool, cast: Cast, client_for: Any) -> None:
    with pytest.raises(DomainError, match="no overflow provider"):
        pool.release()
    response = client_for("alice").post(
        reverse("overflow_add", kwargs={"engagement_id": cast.engagement_a.pk}),
        {"provider": cast.provider_p.pk},
    )
    assert response.status_code == 400  # the engagement's own provider is no choice
    assert (
        client_for("alice")
        .post(reverse("overflow_add", kwargs={"engagement_id": cast.engagement_a.pk}), {"provider": "x"})
        .status_code
        == 400
    )
    assert not OverflowProvider.objects.exists()
    with pytest.raises(DomainError, match="client's admins"):
        overflow.overflow_approve(user=cast.bob, engagement=cast.engagement_a, provider=pool.org)
    assert (
        client_for("pete")
        .post(
            reverse("overflow_add", kwargs={"engagement_id": cast.engagement_a.pk}), {"provider": pool.org.pk}
        )
        .status_code
        == 403
    )
    pool.approve()
    with pytest.raises(DomainError, match="already"):
        pool.approve()
    started = cast.task_a  # in progress: not waiting to be staffed
    with pytest.raises(DomainError, match="waiting to be staffed"):
        overflow.task_release(user=cast.pete, task=started, reason="Late")
    release = pool.release()
    with pytest.raises(DomainError, match="already released"):
        pool.release()
    response = Client()
    response.force_login(pool.fiona)
    answer = response.post(reverse("release_take", kwargs={"task_release_id": release.pk}), {"reason": ""})
    assert answer.status_code == 400
    release.refresh_from_db()
    assert release.status == ReleaseStatus.OPEN
    assert (
        client_for("quinn")
        .post(reverse("release_take", kwargs={"task_release_id": release.pk}), {"reason": "Mine"})
        .status_code
        == 404
    )


def test_every_step_is_audited(pool: Pool, cast: Cast) -> None:
    approval = pool.approve()
    first = pool.release()
    overflow.release_recall(user=cast.alice, release=first)
    second = pool.release()
    overflow.release_take(user=pool.fiona, release=second, reason="Felix can")
    overflow.overflow_remove(user=cast.alice, approval=approval)
    entries = list(AuditEntry.objects.order_by("seq").values_list("event", "actor_id", "details"))
    events = [(event, actor) for event, actor, _details in entries]
    assert events == [
        ("overflow_approved", cast.alice.pk),
        ("task_released", cast.pete.pk),
        ("release_recalled", cast.alice.pk),
        ("task_released", cast.pete.pk),
        ("release_taken", pool.fiona.pk),
        ("overflow_removed", cast.alice.pk),
    ]
    assert entries[1][2]["reason"] == "Nobody free before the due date"
    assert entries[4][2] == {"provider": "Fjord Freelance", "provider_id": pool.org.pk, "reason": "Felix can"}
    # the task it took stays with the provider after its approval is removed
    assert list(tasks_visible_to(pool.fiona)) == [pool.task]


def test_overflow_pages_render_for_each_side(pool: Pool, cast: Cast, client_for: Any) -> None:
    pool.taken()
    engagement_url = reverse("engagement_overflow", kwargs={"engagement_id": cast.engagement_a.pk})
    for name in ("alice", "bob", "aud", "pete"):
        page = client_for(name).get(engagement_url)
        assert page.status_code == 200
        assert "Fjord Freelance" in page.content.decode()
    assert client_for("carol").get(engagement_url).status_code == 403  # an expert on the engagement
    assert client_for("dave").get(engagement_url).status_code == 404
    page = client_for("alice").get(reverse("task_detail", kwargs={"task_id": pool.task.pk}))
    assert "Felix is free next week" in page.content.decode()


def test_the_pool_gives_each_offered_release_a_form_of_its_own(pool: Pool, cast: Cast) -> None:
    """Two open releases offered at once: two take forms, each reason field with its own id and label."""
    pool.approve()
    first = pool.release()
    second = overflow.task_release(
        user=cast.pete, task=waiting_task(cast, "Second overflow study"), reason="Nobody free either"
    )
    client = Client()
    client.force_login(pool.fiona)
    html = client.get(reverse("overflow_pool")).content.decode()
    assert duplicate_ids(html) == []
    for release in (first, second):
        assert f'id="id_take_{release.pk}_reason"' in html
        assert f'for="id_take_{release.pk}_reason"' in html
