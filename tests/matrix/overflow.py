"""The authorisation matrix's entries for overflow pools and talent benches (see tests/matrix/__init__.py).

Client A's engagement has an approved overflow provider (a freelance pool with nobody of the cast in it)
and its draft task an open release to it; client A keeps a talent bench with carol on it. Overflow pages
are for the client's people and the provider's managers; benches for the client's admins, requesters
and auditors (kept by its admins). Everyone else gets 403 or 404. `statuses` lists, for the API, what
each member of the cast gets (nobody of the cast manages the pool, so nobody may take the release; the
positive paths are in tests/api/test_overflow_api.py and tests/api/test_benches_api.py).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kpo.matching.models import BenchMember, TalentBench
from kpo.work.models import OverflowProvider, TaskRelease
from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.cast import SECRET_A, Cast
from tests.matrix import MatrixPart, Statuses
from tests.work.overflow_pool import freelance_pool

WORK_OUTSIDERS = ("dave", "quinn", "erin", "ivan")
REASON = {"reason": "Nobody free before the due date"}


def _statuses(**codes: int) -> dict[str, int]:
    """A status per member of the cast: `default` for those not named."""
    default = codes.pop("default")
    names = ("alice", "bob", "aud", "pete", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")
    return {name: codes.get(name, default) for name in names}


# who sees engagement A: its client's admin, requester and auditor, the provider's manager, the experts
# assigned to its tasks (carol, rex); everyone else gets 404
ENGAGEMENT_READERS = {"alice": 200, "bob": 200, "aud": 200, "pete": 200, "carol": 403, "rex": 403}
# client A's benches: read by its admin, requester and auditor, kept by its admin; ivan, A's own expert,
# may not (403); everyone outside A gets 404
BENCH_READERS = {"alice": 200, "bob": 200, "aud": 200}
BENCH_KEEPER = {"bob": 403, "aud": 403}
BENCH_OUTSIDERS = ("dave", "quinn", "pete", "carol", "erin", "ivan")


def objects(cast: Cast) -> dict[str, Any]:
    pool = freelance_pool(slug="fjord-pool")
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
        "provider_q_id": cast.provider_q.pk,
        "carol_expert_id": cast.carol.expert_profile.pk,
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
    api={
        "list_overflow_providers": Rule(OBJECT),
        "approve_overflow_provider": Rule(OBJECT, body={"provider_id": 1}),
        "withdraw_overflow_provider": Rule(OBJECT),
        "release_task_to_overflow": Rule(OBJECT, body=REASON),
        "list_overflow_releases": Rule(SIGNED_IN),
        "take_overflow_release": Rule(OBJECT, body=REASON),
        "list_talent_benches": Rule(OBJECT),
        "create_talent_bench": Rule(OBJECT, body={"name": "Leak"}),
        "rename_talent_bench": Rule(OBJECT, body={"name": "Leak"}),
        "list_bench_members": Rule(OBJECT),
        "add_bench_member": Rule(OBJECT, body={"expert_id": 1}),
        "remove_bench_member": Rule(OBJECT),
    },
    statuses={
        "list_overflow_providers": Statuses(
            _statuses(default=404, **ENGAGEMENT_READERS),
            fields=("id", "engagement_id", "provider", "provider_type", "approved_by", "approved_at"),
        ),
        # only the client's admin approves; the provider Q is a third-party firm nobody approved yet
        "approve_overflow_provider": Statuses(
            _statuses(default=404, alice=201, bob=403, aud=403, pete=403, carol=403, rex=403),
            body=lambda ids: {"provider_id": ids["provider_q_id"]},
            fields=("id", "provider"),
        ),
        "withdraw_overflow_provider": Statuses(
            _statuses(default=404, alice=204, bob=403, aud=403, pete=403, carol=403, rex=403)
        ),
        # task A is under way: those who may release it hear why not (409), others 403 or 404
        "release_task_to_overflow": Statuses(
            _statuses(default=404, alice=409, bob=409, pete=409, aud=403, carol=403, rex=403)
        ),
        "list_overflow_releases": Statuses(_statuses(default=200)),
        # the released task is a draft: its provider's manager does not see it yet (404)
        "take_overflow_release": Statuses(_statuses(default=404, alice=403, bob=403, aud=403)),
        "list_talent_benches": Statuses(
            _statuses(default=404, ivan=403, **BENCH_READERS),
            fields=("id", "client_id", "name", "member_count", "created_at"),
        ),
        "create_talent_bench": Statuses(
            _statuses(default=404, alice=201, ivan=403, **BENCH_KEEPER),
            body=lambda ids: {"name": "Trusted IFRS reviewers"},
            fields=("id", "name", "member_count"),
        ),
        "rename_talent_bench": Statuses(
            _statuses(default=404, alice=200, **BENCH_KEEPER),
            body=lambda ids: {"name": "Trusted IFRS reviewers"},
            fields=("id", "name", "member_count"),
        ),
        "list_bench_members": Statuses(
            _statuses(default=404, **BENCH_READERS),
            fields=("id", "bench_id", "expert", "organisation", "note", "added_by", "added_at"),
        ),
        # carol is on the bench already and has delivered no task of A: the admin hears why not (409)
        "add_bench_member": Statuses(
            _statuses(default=404, alice=409, **BENCH_KEEPER),
            body=lambda ids: {"expert_id": ids["carol_expert_id"]},
        ),
        "remove_bench_member": Statuses(_statuses(default=404, alice=204, **BENCH_KEEPER)),
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
