"""Importing and exporting experts' work samples in the OpenReview expertise format.

An archives directory holds one `~<expertId>.jsonl` per expert, one work sample per line
(`{"id": ..., "content": {"title": ..., "abstract": ...}}`, see kpo.engine.affinity.openreview).

Which expert a file belongs to: `~<digits>` (e.g. `~123.jsonl`) is the expert profile with that id;
anything else (e.g. `~expert-000123.jsonl`, `~carol.jsonl`) is the expert whose user has that
username. The export writes `~<username>.jsonl`, so an export imports back unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from kpo.engine.affinity import Note, OpenReviewFormatError, read_archives
from kpo.experts.models import ExpertProfile
from kpo.matching.models import WorkSample


class WorkSamplesImportError(ValueError):
    """The archives have problems; `problems` names each by file (and line); nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportReport:
    experts: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    changed_expert_ids: list[int] = field(default_factory=list)
    refresh_job_id: str = ""  # the embedding refresh enqueued after the commit, if any


def _expert_for(
    key: str, by_id: dict[int, ExpertProfile], by_username: dict[str, ExpertProfile]
) -> ExpertProfile | None:
    return by_id.get(int(key)) if key.isdigit() else by_username.get(key)


def _resolve(archives: dict[str, list[Note]], directory: Path) -> tuple[dict[str, ExpertProfile], list[str]]:
    ids = [int(key) for key in archives if key.isdigit()]
    usernames = [key for key in archives if not key.isdigit()]
    profiles = ExpertProfile.objects.filter(id__in=ids) | ExpertProfile.objects.filter(
        user__username__in=usernames
    )
    by_id = {p.pk: p for p in profiles.select_related("user")}
    by_username = {p.user.username: p for p in by_id.values()}
    experts: dict[str, ExpertProfile] = {}
    problems: list[str] = []
    seen: dict[int, str] = {}
    for key in archives:
        shown = directory / f"~{key}.jsonl"
        expert = _expert_for(key, by_id, by_username)
        if expert is None:
            what = f"expert profile id {key}" if key.isdigit() else f"expert with username {key!r}"
            problems.append(f"{shown}: there is no {what}")
        elif expert.pk in seen:
            problems.append(f"{shown}: expert {expert.pk} already has the archive ~{seen[expert.pk]}.jsonl")
        else:
            seen[expert.pk] = key
            experts[key] = expert
    return experts, problems


def work_samples_import(*, directory: Path, replace: bool = False) -> ImportReport:
    """Create or update the work samples in an archives directory, all or nothing.

    A sample is matched to a stored one by (expert, note id): its title and abstract are updated.
    `replace=True` also deletes the stored samples of the experts in the archives that are not in
    their archive (experts without an archive are left alone). Raises `WorkSamplesImportError`
    listing every problem (file and line) and writes nothing then. Embeddings of the experts whose
    samples changed are refreshed in the background after the commit.
    """
    try:
        archives = read_archives(directory)
    except OpenReviewFormatError as error:
        raise WorkSamplesImportError([str(issue) for issue in error.issues]) from error
    experts, problems = _resolve(archives, directory)
    report = ImportReport()
    with transaction.atomic():
        existing: dict[tuple[int, str], WorkSample] = {
            (s.expert_id, s.external_id): s
            for s in WorkSample.objects.filter(expert__in=list(experts.values()))
        }
        to_create: list[WorkSample] = []
        to_update: list[WorkSample] = []
        to_delete: list[int] = []
        changed: set[int] = set()
        for key, expert in experts.items():
            shown = directory / f"~{key}.jsonl"
            ids = set()
            for note in archives[key]:
                ids.add(note.id)
                sample = existing.get((expert.pk, note.id))
                if sample is not None and (sample.title, sample.abstract) == (note.title, note.abstract):
                    report.unchanged += 1
                    continue
                if sample is None:
                    sample = WorkSample(expert=expert, external_id=note.id)
                    to_create.append(sample)
                else:
                    to_update.append(sample)
                sample.title, sample.abstract = note.title, note.abstract
                try:
                    sample.full_clean(exclude=["expert"], validate_unique=False)
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        problems.extend(f"{shown}: sample {note.id!r}: {name}: {m}" for m in messages)
                changed.add(expert.pk)
            if replace:
                gone = [s.pk for (pk, ext), s in existing.items() if pk == expert.pk and ext not in ids]
                to_delete += gone
                if gone:
                    changed.add(expert.pk)
        if problems:
            raise WorkSamplesImportError(problems)
        WorkSample.objects.bulk_create(to_create)
        WorkSample.objects.bulk_update(to_update, ["title", "abstract", "updated_at"])
        report.deleted, _ = WorkSample.objects.filter(pk__in=to_delete).delete()
        report.experts = len(experts)
        report.created = len(to_create)
        report.updated = len(to_update)
        report.changed_expert_ids = sorted(changed)
        if changed:
            ids_to_refresh = sorted(changed)
            transaction.on_commit(lambda: _enqueue_refresh(ids_to_refresh, report))
    return report


def _enqueue_refresh(expert_ids: list[int], report: ImportReport) -> None:
    from kpo.matching.jobs import refresh_embeddings

    report.refresh_job_id = str(refresh_embeddings.enqueue(expert_ids=expert_ids).id)


def work_samples_export(*, directory: Path) -> int:
    """Write every expert's work samples as `directory/~<username>.jsonl`; returns the file count."""
    directory.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {}
    rows = WorkSample.objects.order_by("expert_id", "external_id").values_list(
        "expert__user__username", "external_id", "title", "abstract"
    )
    for username, external_id, title, abstract in rows:
        record = {"id": external_id, "content": {"title": title, "abstract": abstract}}
        lines.setdefault(username, []).append(json.dumps(record, ensure_ascii=False))
    for username, records in lines.items():
        (directory / f"~{username}.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return len(lines)
