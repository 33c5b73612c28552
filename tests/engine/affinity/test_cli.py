"""`kpo affinity`: end to end on a tiny set with the lexical backend, and with no database."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SAMPLES = {
    "Ada_Lovelace1": [
        ("Transfer pricing of intercompany services", "Arm's length documentation for groups."),
        ("Koncernintern prisfastsættelse", "Dokumentation af armslængdepriser."),
    ],
    "Niels_Bohr1": [
        ("Leading edge erosion of wind turbine blades", "Rain erosion tests of protective tapes."),
        ("Erosion af vindmøllevinger", "Beskyttelsesbånd til forkanten af vinger."),
    ],
}
TASKS = {
    "T1": ("Transfer pricing documentation", "Our intercompany service charges need arm's length support."),
    "T2": ("Erosion på vores møllevinger", "Forkanten af vingerne er slidt; vi søger en specialist."),
}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    archives = tmp_path / "archives"
    archives.mkdir()
    for expert, samples in SAMPLES.items():
        lines = [
            json.dumps({"id": f"{expert}-{i}", "content": {"title": t, "abstract": a}}, ensure_ascii=False)
            for i, (t, a) in enumerate(samples)
        ]
        (archives / f"~{expert}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    submissions = {k: {"id": k, "content": {"title": t, "abstract": a}} for k, (t, a) in TASKS.items()}
    (tmp_path / "submissions.json").write_text(json.dumps(submissions), encoding="utf-8")
    return tmp_path


def run(dataset: Path, *extra: str) -> str:
    out = StringIO()
    call_command(
        "affinity",
        "--archives",
        str(dataset / "archives"),
        "--submissions",
        str(dataset / "submissions.json"),
        "--out",
        str(dataset / "out.json"),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_writes_expert_submission_scores_without_a_database(dataset):
    message = run(dataset, "--backend", "lexical")
    assert "Scored 2 experts x 2 submissions with lexical (top2)" in message
    scores = json.loads((dataset / "out.json").read_text())
    assert set(scores) == {"Ada_Lovelace1", "Niels_Bohr1"}
    assert set(scores["Ada_Lovelace1"]) == {"T1", "T2"}
    assert scores["Ada_Lovelace1"]["T1"] > scores["Niels_Bohr1"]["T1"]
    assert scores["Niels_Bohr1"]["T2"] > scores["Ada_Lovelace1"]["T2"]


def test_same_input_same_output(dataset):
    run(dataset, "--backend", "lexical", "--aggregate", "softmax:0.05")
    first = (dataset / "out.json").read_bytes()
    run(dataset, "--backend", "lexical", "--aggregate", "softmax:0.05")
    assert (dataset / "out.json").read_bytes() == first


def test_malformed_input_fails_naming_file_and_line_and_writes_nothing(dataset):
    with (dataset / "archives" / "~Niels_Bohr1.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"id": "x", "content": {"abstract": "no title"}}\n')
    with pytest.raises(CommandError) as error:
        run(dataset, "--backend", "lexical")
    assert f'{dataset / "archives" / "~Niels_Bohr1.jsonl"} line 3: "content.title" is missing' in str(
        error.value
    )
    assert not (dataset / "out.json").exists()


def test_unknown_aggregate_is_a_clear_error(dataset):
    with pytest.raises(CommandError, match="--aggregate: unknown aggregate 'median'"):
        run(dataset, "--backend", "lexical", "--aggregate", "median")


def test_kpo_command_exits_non_zero_with_the_message(dataset):
    (dataset / "submissions.json").write_text('{\n "T1": {"id": "T1", "content": {}}\n}\n', encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpo.cli",
            "affinity",
            "--archives",
            "archives",
            "--submissions",
            "submissions.json",
            "--out",
            "out.json",
            "--backend",
            "lexical",
        ],
        cwd=dataset,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "submissions.json line 2: submission 'T1': \"content.title\" is missing" in done.stderr
    assert not (dataset / "out.json").exists()


def test_kpo_command_succeeds_end_to_end(dataset):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpo.cli",
            "affinity",
            "--archives",
            "archives",
            "--submissions",
            "submissions.json",
            "--out",
            "out.json",
            "--backend",
            "lexical",
        ],
        cwd=dataset,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert set(json.loads((dataset / "out.json").read_text())) == set(SAMPLES)


def test_default_backend_is_auto(dataset):
    message = run(dataset)
    assert "with words (top2+centroid)" in message
    scores = json.loads((dataset / "out.json").read_text())
    assert scores["Ada_Lovelace1"]["T1"] > scores["Niels_Bohr1"]["T1"]
    assert scores["Niels_Bohr1"]["T2"] > scores["Ada_Lovelace1"]["T2"]
