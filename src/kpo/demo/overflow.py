"""Overflow pools and talent benches in the demo world: Nordvind approved the freelance pool as overflow
provider of the Aalborg programme (run by Indus Insight), and keeps one bench, "Trusted operations
reviewers", of the experts who delivered its tasks and whom it rated best. Written directly (no audit
entries, like the rest of the seeded history) and deterministically."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.contrib.auth.models import User

from kpo.demo.organisations import FREELANCE, INDIA, MANUFACTURER
from kpo.demo.reference import demo_now
from kpo.matching.bench import client_ratings_of, worked_with
from kpo.matching.models import BenchMember, TalentBench
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement, OverflowProvider

AALBORG = "Production efficiency programme — Aalborg gearbox plant"
BENCH_NAME = "Trusted operations reviewers"
BENCH_SIZE = 3


def seed_overflow(organisations: Mapping[str, Organisation], users: Mapping[str, User]) -> Counter[str]:
    written: Counter[str] = Counter()
    client, alice = organisations[MANUFACTURER], users["alice"]
    engagement = Engagement.objects.get(client=client, provider=organisations[INDIA], title=AALBORG)
    approval = OverflowProvider.objects.create(
        engagement=engagement, provider=organisations[FREELANCE], approved_by=alice
    )
    OverflowProvider.objects.filter(pk=approval.pk).update(created_at=demo_now(), updated_at=demo_now())
    written["overflow_providers"] += 1
    bench = TalentBench.objects.create(client=client, name=BENCH_NAME, created_by=alice)
    experts = list(worked_with(client.pk))
    ratings = client_ratings_of(client.pk, [expert.pk for expert in experts])
    best = sorted(experts, key=lambda expert: (-(ratings.get(expert.pk, (0.0, 0))[0]), expert.pk))
    for expert in best[:BENCH_SIZE]:
        BenchMember.objects.create(bench=bench, expert=expert, added_by=alice)
        written["bench_members"] += 1
    TalentBench.objects.filter(pk=bench.pk).update(created_at=demo_now(), updated_at=demo_now())
    BenchMember.objects.filter(bench=bench).update(created_at=demo_now(), updated_at=demo_now())
    written["talent_benches"] += 1
    return written


def delete_benches(slugs: list[str]) -> None:
    """The demo clients' benches, before their people go (a bench names who made it)."""
    TalentBench.objects.filter(client__slug__in=slugs).delete()
