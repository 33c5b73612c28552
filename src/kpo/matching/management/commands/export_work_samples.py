"""`kpo export-work-samples DIR`: every expert's work samples as OpenReview archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.matching.work_samples import work_samples_export


class Command(BaseCommand):
    help = "Write every expert's work samples to DIR/~<username>.jsonl (OpenReview expertise format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="Directory to write (created if missing).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            count = work_samples_export(directory=directory)
        except OSError as error:
            raise CommandError(f"Cannot write {directory}: {error.strerror}.") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} archives to {directory}."))
