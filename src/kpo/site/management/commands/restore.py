"""`kpo restore FILE [--force]`: restore a backup made by `kpo backup` into this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.site.backups.manifest import BackupError
from kpo.site.backups.operations import restore_backup


class Command(BaseCommand):
    help = (
        "Restore FILE (made by `kpo backup`) into an empty database and media folder: checks the manifest "
        "and every SHA-256 first and changes nothing if anything is wrong. Stop kpo (serve and worker) first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data (and overwrite stored files of the same name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        try:
            outcome = restore_backup(source, force=options["force"])
        except BackupError as error:
            raise CommandError(f"{source} was not restored, nothing changed: {error}") from error
        except OSError as error:  # after the checks: a disk that filled up, a folder where a file goes
            raise CommandError(f"Restoring {source} failed: {error}") from error
        manifest = outcome.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest.vendor} database and {len(manifest.files)} stored files of "
                f"{source} (kpo {manifest.kpo_version}, made {manifest.created_at.isoformat()})."
                + (" Applied this kpo's newer migrations." if outcome.migrated else "")
            )
        )
