"""The shipped evaluation set is valid OpenReview input, current with its sources, and big enough."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from kpo.engine.affinity import read_archives, read_submissions

EVAL = Path(__file__).resolve().parents[3] / "bench" / "affinity_eval"


def test_eval_set_is_valid_and_labelled():
    archives = read_archives(EVAL / "archives")
    submissions = read_submissions(EVAL / "submissions.json")
    qrels = json.loads((EVAL / "qrels.json").read_text("utf-8"))
    tasks = json.loads((EVAL / "tasks.json").read_text("utf-8"))
    assert len(submissions) >= 60
    assert set(qrels) == set(submissions) == set(tasks)
    assert Counter(t["split"] for t in tasks.values()).keys() == {"en", "da", "cross"}
    assert len({t["domain"] for t in tasks.values()}) == 8
    for grades in qrels.values():
        assert set(grades) <= set(archives)
        assert set(grades.values()) <= {1, 2, 3}
        assert list(grades.values()).count(3) >= 1


def test_eval_set_files_are_built_from_the_sources():
    done = subprocess.run(
        [sys.executable, str(EVAL / "build.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
