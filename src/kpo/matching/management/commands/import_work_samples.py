"""`kpo import-work-samples DIR [--replace]`: experts' work samples from OpenReview archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks_db.models import DBTaskResult

from kpo.core.job_state import job_state_of
from kpo.matching.work_samples import ImportReport, WorkSamplesImportError, work_samples_import


class Command(BaseCommand):
    help = (
        "Import work samples from a directory of ~<expertId>.jsonl files (OpenReview expertise format): "
        "~<digits> is an expert profile id, anything else a username. All or nothing: every problem is "
        "reported with its file and line. Embeddings of changed experts are refreshed afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="Directory of ~<expertId>.jsonl archives.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Also delete stored samples of the imported experts that are not in their archive.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            report = work_samples_import(directory=directory, replace=options["replace"])
        except WorkSamplesImportError as failure:
            count = len(failure.problems)
            summary = f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {directory}."
            raise CommandError(f"{summary}\n{failure}") from failure
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported work samples of {report.experts} experts: {report.created} created, "
                f"{report.updated} updated, {report.unchanged} unchanged, {report.deleted} deleted."
            )
        )
        self.stdout.write(refresh_state(report))


def refresh_state(report: ImportReport) -> str:
    """What became of the embedding refresh the import enqueued: done inline, or queued for the worker."""
    if not report.changed_expert_ids:
        return "No embeddings to refresh."
    experts = len(report.changed_expert_ids)
    if not report.refresh_job_id:
        return f"Embeddings of {experts} experts are refreshed once the import commits."
    try:
        row = DBTaskResult.objects.filter(pk=report.refresh_job_id).first()
    except ValidationError:  # not a stored job's id: jobs run inline (KPO_TASKS_BACKEND)
        row = None
    if row is None:
        return f"Embeddings of {experts} experts refreshed."
    job = job_state_of(row)
    return f"Embedding refresh of {experts} experts: job {job.id}, {job.label.lower()} (kpo worker runs it)."
