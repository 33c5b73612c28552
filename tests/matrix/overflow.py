"""The authorisation matrix's entries for overflow pools and talent benches (see tests/matrix/__init__.py).

Client A's engagement has an approved overflow provider (a freelance pool with nobody of the cast in it)
and its draft task an open release to it; client A keeps a talent bench with carol on it. Overflow pages
are for the client's people and the provider's managers; benches for the client's admins, requesters
and auditors (kept by its admins). Everyone else gets 403 or 404.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kpo.matching.models import BenchMember, TalentBench
from kpo.orgs.models import Organisation
from kpo.work.models import OverflowProvider, TaskRelease
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart

WORK_OUTSIDERS = ("dave", "quinn", "erin", "ivan")
BENCH_OUTSIDERS = ("dave", "quinn", "pete", "carol", "erin", "ivan")


def objects(cast: Cast) -> dict[str, Any]:
    pool = Organisation.objects.create(
        slug="fjord-pool",
        name="Fjord Freelance",
        kind="provider",
        country="DK",
        time_zone="Europe/Copenhagen",
        currency="EUR",
        provider_type="freelance_pool",
    )
    approval = OverflowProvider.objects.create(
        engagement=cast.engagement_a, provider=pool, approved_by=cast.alice
    )
    release = TaskRelease.objects.create(
        task=cast.draft_a,
        reason=f"{SECRET_A}: nobody free",
        released_by=cast.pete,
        released_at=timezone.now(),
    )
    bench = TalentBench.objects.create(client=cast.org_a, name=f"{SECRET_A} reviewers", created_by=cast.alice)
    member = BenchMember.objects.create(bench=bench, expert=cast.carol.expert_profile, added_by=cast.alice)
    return {
        "overflow_provider_id": approval.pk,
        "task_release_id": release.pk,
        "bench_id": bench.pk,
        "bench_member_id": member.pk,
    }


PART = MatrixPart(
    web={
        "overflow_pool": Rule(SIGNED_IN),
        "engagement_overflow": Rule(OBJECT),
        "overflow_add": Rule(OBJECT),
        "overflow_remove": Rule(OBJECT),
        "task_release": Rule(OBJECT),
        "release_take": Rule(OBJECT),
        "release_recall": Rule(OBJECT),
        "talent_benches": Rule(OBJECT),
        "talent_bench_create": Rule(OBJECT),
        "talent_bench_detail": Rule(OBJECT),
        "bench_member_add": Rule(OBJECT),
        "bench_member_remove": Rule(OBJECT),
    },
    outsiders_by_id={
        "overflow_provider_id": WORK_OUTSIDERS,
        "task_release_id": WORK_OUTSIDERS,
        "bench_id": BENCH_OUTSIDERS,
        "bench_member_id": BENCH_OUTSIDERS,
    },
    objects=objects,
    scoped_models=[
        (OverflowProvider, "engagement__client"),
        (TaskRelease, "task__engagement__client"),
        (TalentBench, "client"),
        (BenchMember, "bench__client"),
    ],
)
