"""Every breadcrumb link of the overflow, talent bench and forecast pages opens for whoever sees it: each
role that can open a page follows each link of its breadcrumbs and gets the page, never a 403 or 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kpo.matching.models import TalentBench
from kpo.work.models import TaskRelease
from tests.cast import Cast
from tests.pages import breadcrumb_links
from tests.work.overflow_pool import Pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(cast: Cast) -> tuple[Pool, TaskRelease]:
    pool = Pool(cast)
    return pool, pool.taken()


def _walk(client: Client, url: str, who: str) -> list[str]:
    """Open `url` as `who`, then each of its breadcrumb links; answer the links followed."""
    response = client.get(url)
    assert response.status_code == 200, f"{who} cannot open {url}: {response.status_code}"
    links = breadcrumb_links(response.content.decode())
    for link in links:
        followed = client.get(link)
        assert followed.status_code == 200, (
            f"{who} on {url}: the breadcrumb {link} answers {followed.status_code}"
        )
    return links


def _as(cast: Cast, who: str, pool: Pool) -> Client:
    client = Client()
    client.force_login(pool.fiona if who == "fiona" else cast.users()[who])
    return client


@pytest.mark.parametrize("who", ["alice", "bob", "aud", "pete"])
def test_the_engagement_overflow_page(cast: Cast, taken: tuple[Pool, TaskRelease], who: str) -> None:
    pool, _release = taken
    url = reverse("engagement_overflow", kwargs={"engagement_id": cast.engagement_a.pk})
    assert _walk(_as(cast, who, pool), url, who)


@pytest.mark.parametrize("who", ["alice", "bob", "pete", "fiona"])
def test_a_released_task_and_its_picker(cast: Cast, taken: tuple[Pool, TaskRelease], who: str) -> None:
    """The task page's overflow section and, for those who staff the task, the staffing picker: the
    overflow provider's manager sees neither the engagement nor its list of tasks."""
    pool, _release = taken
    client = _as(cast, who, pool)
    _walk(client, reverse("task_detail", kwargs={"task_id": pool.task.pk}), who)
    if who in {"pete", "fiona"}:
        _walk(client, reverse("staff_picker", kwargs={"task_id": pool.task.pk}), who)
        _walk(client, reverse("find_experts", kwargs={"task_id": pool.task.pk}), who)


@pytest.mark.parametrize("who", ["alice", "bob", "aud", "pete", "fiona", "dave", "quinn"])
def test_the_overflow_pool(cast: Cast, taken: tuple[Pool, TaskRelease], who: str) -> None:
    pool, _release = taken
    _walk(_as(cast, who, pool), reverse("overflow_pool"), who)


@pytest.mark.parametrize("who", ["alice", "bob", "aud"])
def test_the_talent_bench_pages(cast: Cast, taken: tuple[Pool, TaskRelease], who: str) -> None:
    pool, _release = taken
    bench = TalentBench.objects.create(client=cast.org_a, name="Reviewers", created_by=cast.alice)
    client = _as(cast, who, pool)
    _walk(client, reverse("talent_benches", kwargs={"organisation_id": cast.org_a.pk}), who)
    assert _walk(client, reverse("talent_bench_detail", kwargs={"bench_id": bench.pk}), who)


@pytest.mark.parametrize("who", ["alice", "pete", "dave", "quinn"])
def test_the_forecast_page(cast: Cast, taken: tuple[Pool, TaskRelease], who: str) -> None:
    pool, _release = taken
    _walk(_as(cast, who, pool), reverse("demand_forecast"), who)


def test_the_walk_would_notice_a_dead_link(cast: Cast, taken: tuple[Pool, TaskRelease]) -> None:
    """The positive control: the engagement page, linked from the task page's breadcrumbs for the client,
    is one the overflow provider's manager may not open."""
    pool, _release = taken
    links = breadcrumb_links(
        _as(cast, "alice", pool)
        .get(reverse("task_detail", kwargs={"task_id": pool.task.pk}))
        .content.decode()
    )
    engagement = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    assert engagement in links
    assert _as(cast, "fiona", pool).get(engagement).status_code == 404
