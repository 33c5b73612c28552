"""Build the affinity evaluation set from the author-written sources in `source/*.toml`.

Writes, next to this file and deterministically (same sources, same bytes):

- `archives/~<expertId>.jsonl`: each expert's work samples, OpenReview expertise format;
- `submissions.json`: the tasks, `{id: {"id", "content": {"title", "abstract"}}}`;
- `qrels.json`: graded relevance `{task_id: {expert_id: 1|2|3}}` (an expert not listed is 0);
- `tasks.json`: per task its language, specialty, domain and split (`en`, `da`, `cross`).

Relevance is assigned by the construction rule (see README.md), never by looking at a model's output:
3 = the expert's primary specialty is the task's specialty; 2 = the expert's secondary specialty (one
work sample) is the task's specialty; 1 = the expert's primary specialty is in the task's domain;
0 = otherwise. Run: `python bench/affinity_eval/build.py` (add `--check` to verify the files are current).
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
LANGS = ("en", "da")


def load_sources() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    specialties: dict[str, dict[str, Any]] = {}
    experts: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    for path in sorted(SOURCE.glob("*.toml")):
        domain = path.stem
        with path.open("rb") as stream:
            data = tomllib.load(stream)
        for specialty in data.get("specialty", []):
            if specialty["id"] in specialties:
                raise SystemExit(f"{path.name}: specialty {specialty['id']} defined twice")
            specialties[specialty["id"]] = {**specialty, "domain": domain}
        experts.extend(data.get("expert", []))
        tasks.extend(data.get("task", []))
    return specialties, experts, tasks


def validate(
    specialties: dict[str, dict[str, Any]], experts: list[dict[str, Any]], tasks: list[dict[str, Any]]
) -> None:
    problems: list[str] = []
    expert_ids = Counter(expert["id"] for expert in experts)
    task_ids = Counter(task["id"] for task in tasks)
    problems += [f"expert id {key} used {n} times" for key, n in expert_ids.items() if n > 1]
    problems += [f"task id {key} used {n} times" for key, n in task_ids.items() if n > 1]
    for expert in experts:
        for field in ("specialty", "secondary"):
            if expert[field] not in specialties:
                problems.append(f"expert {expert['id']}: unknown {field} {expert[field]}")
        if expert["specialty"] == expert["secondary"]:
            problems.append(f"expert {expert['id']}: secondary equals primary specialty")
        if expert["lang"] not in LANGS:
            problems.append(f"expert {expert['id']}: language {expert['lang']}")
        if len(expert["samples"]) < 2:
            problems.append(f"expert {expert['id']}: fewer than two work samples")
    for task in tasks:
        if task["specialty"] not in specialties:
            problems.append(f"task {task['id']}: unknown specialty {task['specialty']}")
        if task["lang"] not in LANGS:
            problems.append(f"task {task['id']}: language {task['lang']}")
    for specialty_id in specialties:
        langs = {expert["lang"] for expert in experts if expert["specialty"] == specialty_id}
        if len(langs) != 1:
            problems.append(f"specialty {specialty_id}: its primary experts must share one language")
    if problems:
        raise SystemExit("\n".join(problems))


def grade(expert: dict[str, Any], task: dict[str, Any], specialties: dict[str, dict[str, Any]]) -> int:
    if expert["specialty"] == task["specialty"]:
        return 3
    if expert["secondary"] == task["specialty"]:
        return 2
    if specialties[expert["specialty"]]["domain"] == specialties[task["specialty"]]["domain"]:
        return 1
    return 0


def build() -> dict[str, str]:
    """Every output file's relative path and its text."""
    specialties, experts, tasks = load_sources()
    validate(specialties, experts, tasks)
    files: dict[str, str] = {}
    for expert in sorted(experts, key=lambda e: e["id"]):
        lines = []
        for number, sample in enumerate(expert["samples"], start=1):
            record = {
                "id": f"{expert['id']}-p{number}",
                "content": {"title": sample["title"], "abstract": sample["abstract"]},
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        files[f"archives/~{expert['id']}.jsonl"] = "\n".join(lines) + "\n"
    submissions = {
        task["id"]: {"id": task["id"], "content": {"title": task["title"], "abstract": task["abstract"]}}
        for task in sorted(tasks, key=lambda t: t["id"])
    }
    qrels: dict[str, dict[str, int]] = {}
    meta: dict[str, dict[str, str]] = {}
    for task in sorted(tasks, key=lambda t: t["id"]):
        grades = {expert["id"]: grade(expert, task, specialties) for expert in experts}
        qrels[task["id"]] = {key: value for key, value in sorted(grades.items()) if value > 0}
        primary_langs = {expert["lang"] for expert in experts if expert["specialty"] == task["specialty"]}
        (expert_lang,) = primary_langs
        meta[task["id"]] = {
            "lang": task["lang"],
            "specialty": task["specialty"],
            "domain": specialties[task["specialty"]]["domain"],
            "split": task["lang"] if task["lang"] == expert_lang else "cross",
        }
    files["submissions.json"] = json.dumps(submissions, ensure_ascii=False, indent=1) + "\n"
    files["qrels.json"] = json.dumps(qrels, ensure_ascii=False, indent=1) + "\n"
    files["tasks.json"] = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
    return files


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [name for name, text in files.items() if not (HERE / name).is_file()]
        stale += [n for n, t in files.items() if (HERE / n).is_file() and (HERE / n).read_text("utf-8") != t]
        extra = {p.relative_to(HERE).as_posix() for p in (HERE / "archives").glob("*")} - set(files)
        for name in sorted(stale) + sorted(extra):
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale or extra else 0
    archives = HERE / "archives"
    archives.mkdir(exist_ok=True)
    for old in archives.glob("*.jsonl"):
        old.unlink()
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
    splits = Counter(json.loads(files["tasks.json"])[t]["split"] for t in json.loads(files["tasks.json"]))
    experts = sum(1 for name in files if name.startswith("archives/"))
    print(json.dumps({"tasks": len(json.loads(files["submissions.json"])), "experts": experts, **splits}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
