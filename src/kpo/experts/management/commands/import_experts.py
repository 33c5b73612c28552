"""`kpo import-experts FILE.csv|FILE.xlsx`: create experts from a file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.experts.importing.format import ImportFailed
from kpo.experts.importing.writing import import_experts


class Command(BaseCommand):
    help = (
        "Import experts from a .csv or .xlsx file (columns: see docs/import-experts.md). "
        "Nothing is written if any row is bad; every bad cell is reported with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            result = import_experts(data, path.name, dry_run=options["dry_run"])
        except ImportFailed as failure:
            count = len(failure.errors)
            summary = f"Nothing was imported: {count} error{'s' if count != 1 else ''} in {path.name}."
            raise CommandError(f"{summary}\n{failure.report()}") from failure
        if result.dry_run:
            self.stdout.write(f"{path.name} is valid: {result.created} experts would be imported (dry run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.created} experts from {path.name}."))
