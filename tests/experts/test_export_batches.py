"""The export reads experts in id-ordered batches (bounded queries, bounded memory) and round-trips."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpo.demo.seed import seed_demo
from kpo.experts import exporting
from kpo.experts.exporting import write_csv
from kpo.experts.importing.writing import import_experts
from kpo.experts.models import ExpertProfile, ExpertSkill
from kpo.work.models import Engagement

pytestmark = pytest.mark.django_db

SMALL_BATCH = 64
IN_LIST = re.compile(r" IN \(([^()]*)\)")


def expert_facts() -> dict[str, tuple[Any, ...]]:
    """Everything the import format carries, per username, independent of ids and of the export."""
    facts: dict[str, tuple[Any, ...]] = {}
    profiles = ExpertProfile.objects.select_related("user", "organisation").prefetch_related(
        "domains",
        "languages",
        Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill")),
        "degrees",
        "employments",
    )
    for profile in profiles:
        user = profile.user
        facts[user.username] = (
            user.first_name,
            user.last_name,
            user.email,
            profile.organisation.slug,
            profile.headline,
            profile.biography,
            profile.country,
            profile.time_zone,
            profile.weekly_capacity_hours,
            profile.cost_rate,
            profile.bill_rate,
            profile.rate_currency,
            profile.internal,
            frozenset(d.domain for d in profile.domains.all()),
            frozenset((lang.language, lang.level) for lang in profile.languages.all()),
            frozenset((s.skill.uri, s.proficiency) for s in profile.skills.all()),
            frozenset(
                (d.level, d.field, d.institution, d.year, d.verification_status)
                for d in profile.degrees.all()
            ),
            frozenset((e.employer, e.title, e.start, e.end) for e in profile.employments.all()),
        )
    return facts


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(exporting, "BATCH", SMALL_BATCH)
    seed_demo(now=timezone.now(), experts=300, seed=5)
    return ExpertProfile.objects.count()


def test_every_query_of_the_export_holds_at_most_one_batch_of_ids(world: int) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert write_csv(io.StringIO()) == world
    assert world > 4 * SMALL_BATCH
    in_lists = [
        match.group(1).split(",")
        for query in queries.captured_queries
        for match in IN_LIST.finditer(query["sql"])
    ]
    assert in_lists and max(len(ids) for ids in in_lists) <= SMALL_BATCH
    batches = -(-world // SMALL_BATCH)
    assert len(queries.captured_queries) <= batches * 8 + 1  # ids, profiles and five prefetches per batch


def test_batched_export_imports_into_an_empty_database_with_the_same_experts(world: int) -> None:
    before = expert_facts()
    exported = io.StringIO()
    assert write_csv(exported) == world
    lines = exported.getvalue().splitlines()
    Engagement.objects.all().delete()
    User.objects.filter(expert_profile__isnull=False).delete()
    assert not ExpertProfile.objects.exists()

    assert import_experts(exported.getvalue().encode("utf-8"), "experts.csv").created == world
    assert expert_facts() == before
    again = io.StringIO()
    write_csv(again)
    assert again.getvalue().splitlines() == lines
