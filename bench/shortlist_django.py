"""Benchmark: the matching app on the demo world at 100,000 experts, through Django and the database.

Uses the SQLite database at $KPO_BENCH_DB (migrated first), or seeds a throw-away one in a temporary
directory (`kpo migrate` + `kpo seed-demo --experts N` in a subprocess, about a minute). Then, in
process, times:

- reading every expert as an ExpertRecord (kpo.matching.records.expert_records) and building the
  ExpertIndex from them, and the process-wide cache's full rebuild;
- the cache's fingerprint query (paid by every request);
- `shortlist_for_task` (top 10, warm index) for every open task of the demo world, N_RUNS times each:
  p50 / p95 / max milliseconds, with the eligible counts; and each task's first shortlist on its own
  (`first_shortlist_*`: nothing remembered for that task yet, e.g. the text affinities);
- `why_not_for` for one expert per task.

With text affinity (the default; `--no-affinity` leaves it out): every expert without work samples
first gets three, made of the ESCO text (labels and description) of three of their own skills, and
`embedding_refresh` stores their vectors with the backend in $KPO_EMBEDDER (default here `static`),
both timed; then the process-wide snapshot of the stored vectors is built (timed) and every shortlist
scores its eligible experts' texts against the task (reported: how many shortlists had affinity
computed). A reused database keeps its samples and embeddings, so a second run times the queries only.

Prints ONE JSON object. Not part of `make test`.

Usage: python bench/shortlist_django.py [EXPERTS] [--no-affinity]      (default 100000)
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
SAMPLES_PER_EXPERT = 3
BENCH_BACKEND = "static"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


def add_work_samples() -> dict[str, Any]:
    """Three work samples (ESCO text of three of their skills) for each expert without any, then the
    stored embeddings refreshed; both timed."""
    from kpo.experts.models import ExpertSkill
    from kpo.matching.embeddings import embedding_refresh
    from kpo.matching.models import WorkSample

    started = time.perf_counter()
    has_samples = set(WorkSample.objects.values_list("expert_id", flat=True).distinct())
    rows = ExpertSkill.objects.order_by("expert_id", "skill_id").values_list(
        "expert_id", "skill__label", "skill__text"
    )
    batch: list[WorkSample] = []
    taken: dict[int, int] = {}
    created = 0
    for expert_id, label, text in rows.iterator(chunk_size=5000):
        if expert_id in has_samples or taken.get(expert_id, 0) >= SAMPLES_PER_EXPERT:
            continue
        number = taken[expert_id] = taken.get(expert_id, 0) + 1
        batch.append(
            WorkSample(expert_id=expert_id, external_id=f"bench-{number}", title=label, abstract=text)
        )
        if len(batch) >= 5000:
            WorkSample.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    WorkSample.objects.bulk_create(batch)
    created += len(batch)
    samples_done = time.perf_counter()
    refreshed = embedding_refresh()
    refreshed_at = time.perf_counter()
    return {
        "work_samples_created": created,
        "work_samples_seconds": round(samples_done - started, 1),
        "experts_embedded": refreshed,
        "embedding_refresh_seconds": round(refreshed_at - samples_done, 1),
    }


def run(affinity: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.utils import timezone

    from kpo.matching import affinity_index
    from kpo.matching.embeddings import configured_backend, stored_embedder

    indexing: dict[str, Any] = {"affinity": affinity}
    if affinity:
        indexing.update(backend=configured_backend(), **add_work_samples())
        embedder = stored_embedder(configured_backend())
        began = time.perf_counter()
        vectors = affinity_index.stored_vectors(embedder.version, embedder.dim)
        indexing.update(
            vectors_build_seconds=round(time.perf_counter() - began, 2),
            vector_rows=int(vectors.matrix.shape[0]),
            vectors_mbytes=round(vectors.matrix.nbytes / 2**20, 1),
        )

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
    first_timings: list[float] = []
    why_timings: list[float] = []
    with_affinity = 0
    per_task: dict[str, Any] = {}
    for task in tasks:
        began = time.perf_counter()
        result = shortlist_for_task(task, 10, now=now)  # warm-up (and the numbers reported)
        first_timings.append(time.perf_counter() - began)
        with_affinity += bool(result.affinity_known and result.rows)
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
        **indexing,
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
        "first_shortlist_p50_ms": _ms(_percentile(first_timings, 0.5)),
        "first_shortlist_p95_ms": _ms(_percentile(first_timings, 0.95)),
        "first_shortlist_max_ms": _ms(max(first_timings, default=0.0)),
        "why_not_p50_ms": _ms(_percentile(why_timings, 0.5)),
        "why_not_max_ms": _ms(max(why_timings, default=0.0)),
        "empty_pools": sum(1 for row in per_task.values() if not row["eligible"]),
        "shortlists_with_affinity": with_affinity,
        "tasks": per_task,
    }


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    affinity = "--no-affinity" not in sys.argv[1:]
    experts = int(arguments[0]) if arguments else DEFAULT_EXPERTS
    os.environ.setdefault("KPO_EMBEDDER", BENCH_BACKEND)
    configured = os.environ.get("KPO_BENCH_DB")
    if configured:
        setup = prepare(Path(configured), experts)
        result = run(affinity)
    else:
        with tempfile.TemporaryDirectory(prefix="kpo-shortlist-") as directory:
            setup = prepare(Path(directory) / "bench.sqlite3", experts)
            result = run(affinity)
    print(json.dumps({"setup": setup, **result}, indent=2))


if __name__ == "__main__":
    main()
