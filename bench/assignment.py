"""Benchmark: the staffing solver (kpo.engine.assignment) on real reviewer-assignment data and
on a synthetic 10,000 tasks x 50,000 experts instance with varying hours.

Prints ONE JSON object. Each instance runs in its own child process, so its peak memory
(``ru_maxrss``) is its own; the greedy baseline runs in the same child, after the solver.

Real data (papers = tasks, reviewers = experts), read from ``$KPO_BENCH_DATA`` or
``../shared/bench-data/assignment`` beside the repository:

* MIDL 2018 (TPMS affinities; Kobren, Saha, McCallum, "Paper Matching with Local Fairness
  Constraints", KDD 2019, repo iesl/fair-matching): 3 reviewers per paper, at most 4 papers per
  reviewer; and the same with at least 2 papers per reviewer. Published optima: 201.88, 150.04.
* PrefLib 1-3 and the SIGIR query data (as packaged in sjecmen/multistage_reviewing_bounds):
  no published loads for this setting, so we state ours: 3 reviewers per paper and at most
  ceil(3 * papers / reviewers) papers per reviewer; ``mask_matrix == 1`` marks a conflict.

Timings are wall-clock on a shared 2-core machine (other jobs run at the same time): noisy.

Usage: python bench/assignment.py [--quick] [--only NAME ...]
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

PUBLISHED = {"midl_upper": 201.88, "midl_lower_upper": 150.04}
REAL = ["midl_upper", "midl_lower_upper", "midl_upper_maxmin", "preflib1", "preflib2", "preflib3", "query"]
SYNTHETIC = {
    # name: (n_tasks, n_experts, top_k, popularity, seed)
    "synthetic_10k_x_50k": (10_000, 50_000, 20, 0.1, 20240601),
    "synthetic_10k_x_50k_top50": (10_000, 50_000, 50, 0.1, 20240601),
    "synthetic_10k_x_50k_flat": (10_000, 50_000, 20, 0.0, 20240601),
    "synthetic_10k_x_50k_contended": (10_000, 50_000, 20, 0.3, 20240601),
}
QUICK = {"synthetic_1k_x_5k": (1_000, 5_000, 20, 0.1, 7)}
TIME_LIMIT_S = 60.0
TARGET_GAP = 0.005


def data_dir() -> Path:
    override = os.environ.get("KPO_BENCH_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared" / "bench-data" / "assignment"


def real_problem(name: str) -> tuple[Any, dict[str, Any]]:
    import numpy as np

    from kpo.engine.assignment import Problem

    d = data_dir()
    if name.startswith("midl"):
        scores = np.load(d / "midl_scores.npy").T  # tasks x experts
        covs = np.load(d / "midl_covs.npy")
        loads = np.load(d / "midl_loads.npy")
        lower = np.load(d / "midl_loads-lb.npy") if name == "midl_lower_upper" else None
        problem = Problem.from_dense(
            scores, eligible=scores >= 0, demand=covs, max_tasks=loads, min_tasks=lower
        )
        setting = {
            "reviewers_per_paper": int(covs[0]),
            "max_papers_per_reviewer": int(loads[0]),
            "min_papers_per_reviewer": None if lower is None else int(lower[0]),
            "source": "MIDL 2018, TPMS affinities (Kobren et al., KDD 2019; iesl/fair-matching)",
        }
        return problem, setting
    z = np.load(d / f"{name}.npz")
    sim = np.asarray(z["similarity_matrix"], dtype=np.float64).T  # papers x reviewers
    conflict = np.asarray(z["mask_matrix"]).T == 1
    papers, reviewers = sim.shape
    load = math.ceil(3 * papers / reviewers)
    problem = Problem.from_dense(sim, eligible=~conflict, demand=3, max_tasks=load)
    setting = {
        "reviewers_per_paper": 3,
        "max_papers_per_reviewer": load,
        "loads_rule": "our choice: 3 reviewers per paper, load ceil(3 * papers / reviewers)",
        "conflicts": int(conflict.sum()),
        "source": "PrefLib bidding / SIGIR query data as packaged in sjecmen/multistage_reviewing_bounds",
    }
    return problem, setting


def synthetic_problem(n_tasks: int, n_experts: int, top_k: int, popularity: float, seed: int) -> Any:
    """Topic-vector affinities with a mild expert popularity; varying hours and capacities."""
    import numpy as np

    from kpo.engine.assignment import Problem

    rng = np.random.default_rng(seed)
    dim = 16
    tasks = rng.standard_normal((n_tasks, dim)).astype(np.float32)
    tasks /= np.linalg.norm(tasks, axis=1, keepdims=True)
    experts = rng.standard_normal((n_experts, dim)).astype(np.float32)
    experts /= np.linalg.norm(experts, axis=1, keepdims=True)
    pop = rng.uniform(0.0, popularity, n_experts).astype(np.float32) if popularity > 0 else None
    ti, ei, sc = [], [], []
    block = 250
    for a in range(0, n_tasks, block):
        m = (tasks[a : a + block] @ experts.T + 1.0) * (0.5 * (1.0 - popularity))
        if pop is not None:
            m += pop
        idx = np.argpartition(-m, top_k, axis=1)[:, :top_k]
        ti.append(np.repeat(np.arange(a, a + m.shape[0]), top_k))
        ei.append(idx.ravel())
        sc.append(np.take_along_axis(m, idx, axis=1).ravel())
    demand = rng.integers(1, 3, n_tasks)
    hours = np.round(rng.uniform(2.0, 40.0, n_tasks), 1)
    capacity = np.round(rng.uniform(10.0, 60.0, n_experts), 1)
    return Problem(
        n_tasks=n_tasks,
        n_experts=n_experts,
        task_idx=np.concatenate(ti),
        expert_idx=np.concatenate(ei),
        score=np.concatenate(sc).astype(np.float64),
        demand=demand,
        task_hours=hours,
        capacity_hours=capacity,
    )


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _finite(x: float | None, digits: int = 6) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(x, digits)


def _plan_summary(plan: Any) -> dict[str, Any]:
    return {
        "status": plan.status,
        "solver": plan.solver,
        "objective": _finite(plan.objective),
        "lp_bound": _finite(plan.lp_bound),
        "gap": _finite(plan.gap, 8),
        "gap_pct": _finite(plan.gap * 100 if math.isfinite(plan.gap) else None, 4),
        "seconds": round(plan.seconds, 3),
        "seats_filled": plan.seats_filled,
        "seats_demanded": plan.seats_demanded,
        "tasks_short": len(plan.uncovered),
        "min_task_score": _finite(plan.min_task_score),
        "mean_task_score": _finite(plan.mean_task_score),
        "max_task_score": _finite(max(plan.task_scores) if plan.task_scores else None),
        "notes": plan.notes,
    }


def run_one(name: str) -> dict[str, Any]:
    from kpo.engine.assignment import greedy, lp_relaxation, solve

    baseline_rss = _rss_mib()
    build_t0 = time.perf_counter()
    objective = "maxmin_then_sum" if name.endswith("_maxmin") else "sum"
    spec = SYNTHETIC.get(name) or QUICK.get(name)
    if spec is not None:
        problem = synthetic_problem(*spec)
        setting: dict[str, Any] = {
            "generator": (
                "seeded numpy Generator; 16-d unit topic vectors; score = (1 - pop) * (1 + cos) / 2 + pop_e,"
                " pop_e ~ U(0, popularity); top-K experts per task by score; k ~ U{1, 2};"
                " task hours ~ U(2, 40) h; expert capacity ~ U(10, 60) h"
            ),
            "n_tasks": spec[0],
            "n_experts": spec[1],
            "top_k": spec[2],
            "popularity": spec[3],
            "seed": spec[4],
        }
    else:
        problem, setting = real_problem(name.removesuffix("_maxmin"))
    build_s = time.perf_counter() - build_t0
    time_limit = TIME_LIMIT_S
    plan = solve(problem, objective=objective, time_limit_s=time_limit)
    peak = _rss_mib()
    out: dict[str, Any] = {
        "n_tasks": problem.n_tasks,
        "n_experts": problem.n_experts,
        "n_candidates": problem.n_candidates,
        "objective_kind": objective,
        "time_limit_s": time_limit,
        "setting": setting,
        "build_seconds": round(build_s, 3),
        **_plan_summary(plan),
        "peak_rss_mib": round(peak, 1),
        "rss_before_build_mib": round(baseline_rss, 1),
    }
    if objective == "maxmin_then_sum":
        out["min_task_score_bound"] = _finite(plan.min_task_score_bound)
    t0 = time.perf_counter()
    g = greedy(problem)
    g_s = time.perf_counter() - t0
    out["greedy"] = {
        "objective": _finite(g.objective),
        "seconds": round(g_s, 3),
        "seats_filled": g.seats_filled,
        "min_task_score": _finite(g.min_task_score),
        "mean_task_score": _finite(g.mean_task_score),
        "gap_pct_to_lp_bound": _finite(
            (plan.lp_bound - g.objective) / abs(plan.lp_bound) * 100
            if math.isfinite(plan.lp_bound)
            else None,
            4,
        ),
        "notes": g.notes,
    }
    if name in PUBLISHED:
        out["published_optimum"] = PUBLISHED[name]
        out["matches_published"] = round(plan.objective, 2) == PUBLISHED[name]
    if spec is not None and problem.n_tasks >= 10_000:
        t0 = time.perf_counter()
        plain = lp_relaxation(problem, seats=plan.seats_filled, strengthen=False, time_limit_s=60.0)
        out["lp_bound_without_cuts"] = _finite(plain)
        out["gap_pct_to_lp_bound_without_cuts"] = _finite(
            (plain - plan.objective) / abs(plain) * 100 if math.isfinite(plain) else None, 4
        )
        out["lp_without_cuts_seconds"] = round(time.perf_counter() - t0, 3)
        out["target"] = {"max_gap_pct": TARGET_GAP * 100, "max_seconds": TIME_LIMIT_S}
        out["meets_target"] = bool(plan.gap <= TARGET_GAP and plan.seconds <= TIME_LIMIT_S)
    return out


def child(name: str) -> None:
    # HiGHS prints a banner on stdout when first used: keep stdout for our one JSON line
    real_stdout = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    result = run_one(name)
    real_stdout.write(json.dumps(result) + "\n")
    real_stdout.flush()


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "--child":
        child(argv[1])
        return
    quick = "--quick" in argv
    only = [a for a in argv if not a.startswith("--")]
    names = REAL + list((QUICK if quick else SYNTHETIC).keys())
    if only:
        names = [n for n in names if n in only]
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", name],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            results[name] = {"error": proc.stderr.strip().splitlines()[-5:], "returncode": proc.returncode}
        else:
            results[name] = json.loads(lines[-1])
    import highspy
    import numpy
    import scipy

    summary = {
        "midl_matches_published": all(
            results.get(n, {}).get("matches_published") is True for n in PUBLISHED if n in results
        ),
        "synthetic_meets_target": {
            n: r.get("meets_target") for n, r in results.items() if "meets_target" in r
        },
    }
    print(
        json.dumps(
            {
                "benchmark": "assignment",
                "data_dir": str(data_dir()),
                "versions": {
                    "python": sys.version.split()[0],
                    "numpy": numpy.__version__,
                    "scipy": scipy.__version__,
                    "highspy": getattr(highspy, "__version__", None) or _highs_version(),
                },
                "machine_note": "2 shared cores; other engineers' jobs run concurrently: timings are noisy",
                "summary": summary,
                "instances": results,
                "total_seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


def _highs_version() -> str:
    from importlib.metadata import version

    return version("highspy")


if __name__ == "__main__":
    main(sys.argv[1:])
