"""Benchmark: the matching app on the demo world at 100,000 experts, through Django and the database.

Uses the SQLite database at $KPO_BENCH_DB (migrated first), or seeds a throw-away one in a temporary
directory (`kpo migrate` + `kpo seed-demo --experts N` in a subprocess, about a minute). Then, in
process, times:

- reading every expert as an ExpertRecord (kpo.matching.records.expert_records) and building the
  ExpertIndex from them, and the process-wide cache's full rebuild;
- the cache's fingerprint query (paid by every request);
- `shortlist_for_task` (top 10, warm index) for every open task of the demo world, N_RUNS times each:
  p50 / p95 / max milliseconds, with the eligible counts;
- `why_not_for` for one expert per task.

Prints ONE JSON object. Not part of `make test`.

Usage: python bench/shortlist_django.py [EXPERTS]        (default 100000)
       KPO_BENCH_DB=/tmp/kpo-bench/bench.sqlite3 python bench/shortlist_django.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from seeded_db import prepare

DEFAULT_EXPERTS = 100_000
N_RUNS = 5
FINGERPRINTS = 20


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


def run() -> dict[str, Any]:
    import django

    django.setup()
    from django.utils import timezone

    from kpo.engine.matching import ExpertIndex
    from kpo.experts.models import ExpertProfile
    from kpo.matching import index_cache
    from kpo.matching.records import expert_records
    from kpo.matching.selectors import shortlist_for_task, why_not_for
    from kpo.work.models import OPEN_STATUS_VALUES, Task

    now = timezone.now()
    started = time.perf_counter()
    records = expert_records(now)
    read = time.perf_counter()
    index = ExpertIndex.build(records)
    built = time.perf_counter()
    del records
    rebuild_started = time.perf_counter()
    index_cache.expert_index(now, force=True)
    rebuilt = time.perf_counter()

    fingerprints = []
    for _ in range(FINGERPRINTS):
        began = time.perf_counter()
        index_cache.fingerprint()
        fingerprints.append(time.perf_counter() - began)

    tasks = list(
        Task.objects.filter(status__in=OPEN_STATUS_VALUES)
        .select_related("engagement", "engagement__client", "engagement__provider")
        .order_by("id")
    )
    timings: list[float] = []
    why_timings: list[float] = []
    per_task: dict[str, Any] = {}
    for task in tasks:
        result = shortlist_for_task(task, 10, now=now)  # warm-up (and the numbers reported)
        runs = []
        for _ in range(N_RUNS):
            began = time.perf_counter()
            shortlist_for_task(task, 10, now=now)
            runs.append(time.perf_counter() - began)
        timings += runs
        expert = (
            ExpertProfile.objects.select_related("user", "organisation")
            .filter(organisation_id=task.engagement.provider_id)
            .order_by("id")
            .first()
        )
        if expert is not None:
            began = time.perf_counter()
            why_not_for(task, expert, now=now)
            why_timings.append(time.perf_counter() - began)
        per_task[str(task.pk)] = {
            "status": task.status,
            "skills": len(result.requirements.skills),
            "languages": len(result.requirements.languages),
            "eligible": result.eligible,
            "listed": len(result.rows),
            "emptied_by": result.emptied_by,
            "median_ms": _ms(statistics.median(runs)),
        }
    return {
        "experts": index.size,
        "distinct_skills": index.skill_count,
        "index_mbytes": round(index.nbytes / 2**20, 1),
        "records_seconds": round(read - started, 2),
        "index_build_seconds": round(built - read, 2),
        "records_and_index_seconds": round(built - started, 2),
        "cache_rebuild_seconds": round(rebuilt - rebuild_started, 2),
        "fingerprint_median_ms": _ms(statistics.median(fingerprints)),
        "open_tasks": len(tasks),
        "runs_per_task": N_RUNS,
        "shortlist_p50_ms": _ms(_percentile(timings, 0.5)),
        "shortlist_p95_ms": _ms(_percentile(timings, 0.95)),
        "shortlist_max_ms": _ms(max(timings, default=0.0)),
        "why_not_p50_ms": _ms(_percentile(why_timings, 0.5)),
        "why_not_max_ms": _ms(max(why_timings, default=0.0)),
        "empty_pools": sum(1 for row in per_task.values() if not row["eligible"]),
        "tasks": per_task,
    }


def main() -> None:
    experts = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXPERTS
    configured = os.environ.get("KPO_BENCH_DB")
    if configured:
        setup = prepare(Path(configured), experts)
        result = run()
    else:
        with tempfile.TemporaryDirectory(prefix="kpo-shortlist-") as directory:
            setup = prepare(Path(directory) / "bench.sqlite3", experts)
            result = run()
    print(json.dumps({"setup": setup, **result}, indent=2))


if __name__ == "__main__":
    main()
