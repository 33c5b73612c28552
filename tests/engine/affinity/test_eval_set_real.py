"""The real-text (ESCO) evaluation set is valid OpenReview input, current with its source, and holds out
every queried skill from every expert's samples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kpo.engine.affinity import read_archives, read_submissions

REAL = Path(__file__).resolve().parents[3] / "bench" / "affinity_eval_real"


@pytest.mark.parametrize("fold", ["dev", "test"])
def test_fold_is_valid_labelled_and_holds_the_queried_skills_out(fold):
    archives = read_archives(REAL / fold / "archives")
    submissions = read_submissions(REAL / fold / "submissions.json")
    qrels = json.loads((REAL / fold / "qrels.json").read_text("utf-8"))
    assert len(archives) == 91
    assert len(submissions) >= 100
    assert set(qrels) == set(submissions)
    sample_texts = {note.abstract for notes in archives.values() for note in notes}
    for task, grades in qrels.items():
        assert set(grades) <= set(archives)
        assert set(grades.values()) <= {1, 2}
        assert 2 in grades.values()
        description = submissions[task].abstract.split(". ", 1)[1]
        assert description not in sample_texts


def test_real_set_files_are_built_from_the_source():
    done = subprocess.run(
        [sys.executable, str(REAL / "build.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
