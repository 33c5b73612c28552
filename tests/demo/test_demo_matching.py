"""The demo world shows matching working: through the API, as the people who would ask.

One test seeds the full demo world (its default size) once, because the shares asserted are facts of
that world, not of a small one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kpo.demo.accounts import DEMO_ACCOUNTS
from kpo.demo.organisations import MANUFACTURER
from kpo.demo.reference import DEFAULT_EXPERTS, DEFAULT_SEED
from kpo.demo.seed import seed_demo
from kpo.engine.lifecycle import OPEN_STATES
from kpo.experts.models import ExpertProfile
from kpo.matching.embeddings import embedding_refresh
from kpo.matching.models import WorkSample
from kpo.orgs.services import api_token_create
from kpo.work.models import Task

MIN_ELIGIBLE = 3
MIN_SHARE = 0.9


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.KPO_EMBEDDER = "static"  # the default, named so the test does not follow a change of it


def _shortlist(client: Client, tokens: dict[str, str], username: str, task: Task) -> Any:
    if username not in tokens:
        tokens[username] = api_token_create(user=User.objects.get(username=username), name="demo test")[1]
    answer = client.get(
        f"/api/tasks/{task.pk}/shortlist", headers={"Authorization": f"Bearer {tokens[username]}"}
    )
    return answer


@pytest.mark.django_db
def test_the_demo_world_shows_matching_working(settings: Any) -> None:
    seed_demo(now=timezone.now(), experts=DEFAULT_EXPERTS, seed=DEFAULT_SEED)
    experts = ExpertProfile.objects.count()
    assert WorkSample.objects.values("expert").distinct().count() == experts
    embedding_refresh()  # what the worker does with the job seed-demo queues
    role_of = {(account.organisation_slug, account.role): account.username for account in DEMO_ACCOUNTS}
    client, tokens = Client(), {}
    eligible: dict[int, int] = {}
    staff_first: list[Task] = []
    tasks = Task.objects.filter(status__in=[state.value for state in OPEN_STATES]).select_related(
        "engagement__provider", "engagement__client"
    )
    for task in tasks.order_by("id"):
        manager = role_of[(task.engagement.provider.slug, "provider_manager")]
        answer = _shortlist(client, tokens, manager, task)
        if answer.status_code == 404:  # a draft: the provider does not see it yet
            continue
        assert answer.status_code == 200, answer.content
        body = answer.json()
        eligible[task.pk] = body["eligible"] if body["affinity_computed"] else 0
        assert not any(entry["client_staff"] for entry in body["entries"])  # hidden from the provider
        if task.engagement.client.slug == MANUFACTURER and len(staff_first) < 1:
            own = _shortlist(client, tokens, role_of[(MANUFACTURER, "client_admin")], task).json()
            if own["entries"] and own["entries"][0]["client_staff"]:
                staff_first.append(task)
    assert len(eligible) >= 20
    enough = [pk for pk, count in eligible.items() if count >= MIN_ELIGIBLE]
    short = {
        task.title: eligible[task.pk] for task in tasks if eligible.get(task.pk, MIN_ELIGIBLE) < MIN_ELIGIBLE
    }
    assert len(enough) >= MIN_SHARE * len(eligible), short
    assert staff_first, "no task lists the client's own staff first for the client"
