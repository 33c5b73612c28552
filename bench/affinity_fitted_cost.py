"""Per-request cost of a corpus-fitted backend (`words`, `lexical`) scored on the fly, as the web app would.

For N experts with four ~120-word work samples each (words drawn, seeded, from the real-text set's
samples) and one 60-word task: seconds to fit the backend on every text, to embed the task and each
expert's samples, and to score. This is what `kpo.matching.embeddings.affinities_for` does per request
for a fitted backend, without the database. Prints ONE JSON object.

Run: `.venv/bin/python bench/affinity_fitted_cost.py [--experts 2000,10000] [--backends words,lexical]`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from kpo.engine.affinity import default_aggregate, make_embedder, read_archives, score_vectors  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--experts", default="2000")
    parser.add_argument("--backends", default="words")
    args = parser.parse_args()
    archives = read_archives(ROOT / "affinity_eval_real" / "dev" / "archives")
    vocabulary = [word for notes in archives.values() for note in notes for word in note.text.split()]
    rng = random.Random(20261207)
    results: list[dict[str, Any]] = []
    for count in (int(n) for n in args.experts.split(",")):
        texts = {str(e): [" ".join(rng.choices(vocabulary, k=120)) for _ in range(4)] for e in range(count)}
        task = " ".join(rng.choices(vocabulary, k=60))
        for name in args.backends.split(","):
            started = time.perf_counter()
            embedder = make_embedder(name, [task, *(text for rows in texts.values() for text in rows)])
            fitted = time.perf_counter()
            query = embedder.embed([task], role="query")
            stored = {expert: embedder.embed(rows) for expert, rows in texts.items()}
            embedded = time.perf_counter()
            score_vectors(stored, query, default_aggregate(name))
            scored = time.perf_counter()
            results.append(
                {
                    "backend": name,
                    "experts": count,
                    "texts": 4 * count + 1,
                    "fit_s": round(fitted - started, 2),
                    "embed_s": round(embedded - fitted, 2),
                    "score_s": round(scored - embedded, 2),
                    "total_s": round(scored - started, 2),
                }
            )
    print(json.dumps({"results": results}, indent=1))


if __name__ == "__main__":
    main()
