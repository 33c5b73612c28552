"""`kpo backup FILE`: the database and every stored file in one archive, safe while kpo runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kpo.site.backups.manifest import BackupError
from kpo.site.backups.operations import create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) and the stored files "
        "(MEDIA_ROOT) into FILE, a gzipped tar with a manifest of SHA-256 sums. Safe while kpo runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file to write (replaced if it exists).")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        try:
            outcome = create_backup(target, now=timezone.now())
        except BackupError as error:
            raise CommandError(f"No backup was written: {error}") from error
        except OSError as error:
            raise CommandError(f"No backup was written: {error.strerror or error}.") from error
        manifest = outcome.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest.vendor} database and {len(manifest.files)} stored files to "
                f"{target} ({outcome.bytes:,} bytes)."
            )
        )
