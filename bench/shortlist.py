"""Benchmark: the shortlist for one task among N synthetic experts (default 100,000), warm.

Builds N ExpertRecords with a seeded generator (8 domains, ~14,000 ESCO-like skill ids with a few
hundred common per domain, 5-8 skills each, languages, UTC offsets, rates), builds the index, then
times 200 varied task queries (top 10). Also times the plain-Python reference on a subsample to show
the speed-up, and checks that both rank the subsample the same way.

Prints one JSON object. Usage: python bench/shortlist.py [N] [QUERIES]
"""

from __future__ import annotations

import gc
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kpo.engine.matching import (
    ExpertIndex,
    ExpertRecord,
    ScoreWeights,
    TaskRequirements,
    reference_shortlist,
    shortlist,
    working_window_utc,
)
from kpo.engine.taxonomy import Domain

SEED = 20240611
DEFAULT_EXPERTS = 100_000
DEFAULT_QUERIES = 200
WARM_UP = 10
SKILL_IDS = 14_000
COMMON_PER_DOMAIN = 300
NAIVE_SAMPLE = 10_000
NAIVE_QUERIES = 10
CLIENTS = 50
PROVIDERS = 200
DOMAINS = [d.value for d in Domain]


@dataclass(frozen=True)
class Region:
    weight: float
    offsets: tuple[float, ...]
    languages: tuple[str, ...]
    rate: float


REGIONS = (
    Region(0.25, (0.0, 1.0, 2.0), ("da", "de", "fr", "es", "pl", "nl", "sv"), 95.0),
    Region(0.22, (5.5,), ("hi",), 35.0),
    Region(0.15, (-5.0, -6.0, -7.0, -8.0), ("en",), 125.0),
    Region(0.10, (8.0,), ("tl",), 30.0),
    Region(0.10, (8.0, 9.0), ("zh",), 60.0),
    Region(0.10, (-3.0, -5.0), ("es", "pt"), 45.0),
    Region(0.08, (2.0, 3.0), ("uk", "ro", "bg"), 45.0),
)


def rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def popularity(size: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1) ** 0.8
    return weights / weights.sum()


def domain_pools(rng: np.random.Generator) -> list[np.ndarray]:
    # Common skills cluster in the low ids (the "core" ESCO skills), overlapping between domains.
    return [rng.choice(4_000, size=COMMON_PER_DOMAIN, replace=False) + 1 for _ in DOMAINS]


def make_experts(count: int, rng: np.random.Generator, pools: list[np.ndarray]) -> list[ExpertRecord]:
    pool_weights = popularity(COMMON_PER_DOMAIN)
    region_of = rng.choice(len(REGIONS), size=count, p=[r.weight for r in REGIONS])
    primary = rng.integers(0, len(DOMAINS), size=count)
    secondary = np.where(rng.random(count) < 0.25, rng.integers(0, len(DOMAINS), size=count), -1)
    skill_counts = rng.integers(5, 9, size=count)
    degrees = rng.choice(4, size=count, p=[0.02, 0.30, 0.45, 0.23])
    capacity = rng.choice([10.0, 20.0, 30.0, 37.5, 40.0], size=count)
    assigned = rng.random(count) * capacity * 1.5
    active = rng.random(count) < 0.95
    internal = rng.random(count) < 0.03
    owner = rng.integers(1, CLIENTS + 1, size=count)
    provider = rng.integers(1, PROVIDERS + 1, size=count)
    has_quality = rng.random(count) < 0.3
    quality_mean = rng.beta(8, 2, size=count)
    quality_lower = np.clip(quality_mean - rng.random(count) * 0.15, 0.0, 1.0)
    rate_noise = rng.lognormal(0.0, 0.3, size=count)
    english = rng.choice([-1, 2, 3, 4, 5], size=count, p=[0.1, 0.15, 0.35, 0.25, 0.15])
    proficiency_p = [0.1, 0.2, 0.3, 0.25, 0.15]
    records: list[ExpertRecord] = []
    for i in range(count):
        region = REGIONS[region_of[i]]
        k = int(skill_counts[i])
        pool = pools[primary[i]]
        from_pool = rng.choice(pool, size=k, p=pool_weights)
        tail = rng.integers(1, SKILL_IDS + 1, size=k)
        chosen = np.where(rng.random(k) < 0.8, from_pool, tail)
        skills = dict.fromkeys(chosen.tolist(), 0)
        levels = rng.choice(5, size=len(skills), p=proficiency_p) + 1
        skills = dict(zip(skills, levels.tolist(), strict=True))
        native = region.languages[int(rng.integers(len(region.languages)))]
        languages = {native: 6}
        if english[i] >= 0 and native != "en":
            languages["en"] = int(english[i])
        if rng.random() < 0.2:
            languages[("de", "fr", "es", "da")[int(rng.integers(4))]] = int(rng.integers(1, 6))
            languages[native] = 6
        domains = {DOMAINS[primary[i]]}
        if secondary[i] >= 0:
            domains.add(DOMAINS[secondary[i]])
        is_internal = bool(internal[i])
        records.append(
            ExpertRecord(
                id=i + 1,
                organisation_id=int(1000 + owner[i]) if is_internal else int(provider[i]),
                internal=is_internal,
                owner_client_id=int(1000 + owner[i]) if is_internal else None,
                active=bool(active[i]),
                domains=frozenset(domains),
                skills=skills,
                degree_rank=int(degrees[i]),
                languages=languages,
                utc_offset=region.offsets[int(rng.integers(len(region.offsets)))],
                weekly_capacity_hours=float(capacity[i]),
                assigned_hours=round(float(assigned[i]), 1),
                bill_rate=round(region.rate * float(rate_noise[i]), 2),
                quality_mean=float(quality_mean[i]) if has_quality[i] else None,
                quality_lower=float(quality_lower[i]) if has_quality[i] else None,
            )
        )
    return records


def make_tasks(count: int, rng: np.random.Generator, pools: list[np.ndarray]) -> list[TaskRequirements]:
    tasks: list[TaskRequirements] = []
    for _ in range(count):
        domain = int(rng.integers(len(DOMAINS)))
        k = int(rng.integers(2, 7))
        skill_ids = rng.choice(pools[domain][:60], size=k, replace=False)
        skills = {int(s): int(rng.integers(2, 5)) for s in skill_ids}
        held = [0, 1, math.ceil(k / 2), None][int(rng.choice(4, p=[0.1, 0.5, 0.3, 0.1]))]
        languages: dict[str, str] = {}
        if rng.random() < 0.6:
            languages["en"] = "B2"
        if rng.random() < 0.1:
            languages[("da", "de", "fr", "es")[int(rng.integers(4))]] = "C1"
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        client_offset = region.offsets[0]
        providers = None
        if rng.random() < 0.3:
            providers = frozenset(int(p) for p in rng.choice(PROVIDERS, size=100, replace=False) + 1)
        tasks.append(
            TaskRequirements(
                domain=DOMAINS[domain],
                skills=skills,
                min_skills_held=held,
                min_degree_rank=int(rng.choice(4, p=[0.35, 0.25, 0.35, 0.05])),
                languages=languages,
                effort_hours=float(rng.integers(4, 61)),
                window_weeks=float(rng.uniform(1.0, 10.0)),
                client_id=1000 + int(rng.integers(1, CLIENTS + 1)),
                client_window_utc=working_window_utc(client_offset) if rng.random() < 0.9 else None,
                budget_per_hour=float(rng.uniform(40, 200)) if rng.random() < 0.9 else None,
                organisation_ids=providers,
            )
        )
    return tasks


def make_affinities(size: int, rng: np.random.Generator) -> list[np.ndarray | None]:
    arrays: list[np.ndarray | None] = [None]
    for _ in range(3):
        values = rng.beta(2, 2, size=size)
        values[rng.random(size) < 0.2] = np.nan
        arrays.append(values)
    return arrays


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(values), q)), 3)


def run(experts: int, queries: int) -> dict[str, object]:
    rng = np.random.default_rng(SEED)
    pools = domain_pools(rng)
    started = time.perf_counter()
    records = make_experts(experts, rng, pools)
    generated = time.perf_counter()
    gc.collect()
    rss_before = rss_bytes()
    index = ExpertIndex.build(records)
    built = time.perf_counter()
    gc.collect()
    rss_after = rss_bytes()
    tasks = make_tasks(queries + WARM_UP, rng, pools)
    affinities = make_affinities(len(index), rng)
    weights = ScoreWeights()

    timings: list[float] = []
    candidates: list[int] = []
    empty = 0
    for number, task in enumerate(tasks):
        query_affinities = affinities[number % len(affinities)]
        begin = time.perf_counter()
        result = shortlist(index, task, weights, query_affinities, n=10)
        elapsed = (time.perf_counter() - begin) * 1000.0
        if number < WARM_UP:
            continue
        timings.append(elapsed)
        candidates.append(result.eligible)
        empty += result.empty

    # The plain-Python reference on a subsample, and the vectorised path on the same subsample.
    sample = records[:NAIVE_SAMPLE]
    sample_index = ExpertIndex.build(sample)
    naive_ms: list[float] = []
    fast_ms: list[float] = []
    agree = 0
    for task in tasks[WARM_UP : WARM_UP + NAIVE_QUERIES]:
        begin = time.perf_counter()
        reference = reference_shortlist(sample, task, weights, None, n=10)
        naive_ms.append((time.perf_counter() - begin) * 1000.0)
        begin = time.perf_counter()
        fast = shortlist(sample_index, task, weights, None, n=10)
        fast_ms.append((time.perf_counter() - begin) * 1000.0)
        agree += [expert_id for expert_id, _ in reference] == fast.expert_ids
    naive_full = float(np.mean(naive_ms)) * experts / len(sample)
    return {
        "experts": experts,
        "queries": len(timings),
        "distinct_skills": index.skill_count,
        "generate_seconds": round(generated - started, 3),
        "build_seconds": round(built - generated, 3),
        "index_array_mb": round(index.nbytes / 1e6, 1),
        "index_rss_mb": round((rss_after - rss_before) / 1e6, 1),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "p99_ms": percentile(timings, 99),
        "max_ms": round(max(timings), 3),
        "mean_candidates": round(float(np.mean(candidates)), 1),
        "empty_shortlists": empty,
        "naive_sample": len(sample),
        "naive_ms_per_query_sample": round(float(np.mean(naive_ms)), 1),
        "fast_ms_per_query_sample": round(float(np.mean(fast_ms)), 3),
        "naive_ms_per_query_extrapolated": round(naive_full, 1),
        "speedup_vs_naive": round(naive_full / float(np.mean(timings)), 1),
        "naive_agrees": f"{agree}/{len(naive_ms)}",
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXPERTS
    number = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_QUERIES
    print(json.dumps(run(count, number)))
