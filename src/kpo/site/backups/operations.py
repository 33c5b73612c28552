"""Make a backup of this installation, or restore one into it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from kpo.site.backups import database
from kpo.site.backups.archive import member_for, read_archive, stored_files, write_archive
from kpo.site.backups.manifest import DATABASE_DIR, BackupError, Manifest, stored_path


@dataclass(frozen=True)
class Outcome:
    manifest: Manifest
    bytes: int = 0
    migrated: bool = False


def kpo_version() -> str:
    try:
        return metadata.version("kpo")
    except metadata.PackageNotFoundError:
        return "unknown"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def create_backup(target: Path, *, now: dt.datetime) -> Outcome:
    """Write the database (a consistent copy, safe while kpo runs) and then every stored file to `target`.

    A file uploaded after the database copy may be included too (harmless); none the copy refers to is
    missed, since stored files are written before the rows that name them and never changed.
    """
    target = target.resolve()
    if target.exists() and not target.is_file():
        raise BackupError(f"{target} is a folder; give a file name for the backup.")
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent}.")
    if target.is_relative_to(media_root().resolve()):
        raise BackupError(f"Write the backup outside the media folder {media_root()}.")
    kind = database.vendor()
    with tempfile.TemporaryDirectory(prefix=".kpo-backup-", dir=target.parent) as work:
        migrations = database.applied_migrations()
        dumped = database.dump(Path(work))
        db_member = member_for(dumped, f"{DATABASE_DIR}/{dumped.name}")
        sources = {db_member.name: dumped}
        files = []
        for path, name in stored_files(media_root()):
            files.append(member_for(path, name))
            sources[name] = path
        manifest = Manifest(
            kpo_version=kpo_version(),
            created_at=now,
            vendor=kind,
            database=db_member,
            migrations=migrations,
            files=files,
        )
        partial = Path(work) / "backup.tar.gz"
        write_archive(partial, manifest, sources)
        os.replace(partial, target)
    return Outcome(manifest, bytes=target.stat().st_size)


def _media_holds_files() -> bool:
    return next(stored_files(media_root()), None) is not None


def restore_backup(source: Path, *, force: bool = False) -> Outcome:
    """Restore the database and stored files of the backup at `source` into this installation.

    Refuses, changing nothing, a file that is not a kpo backup (or is damaged), a backup of another
    database vendor or of a newer kpo, and, unless `force`, a database or media folder that is not empty.
    """
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    if not force:
        if database.holds_data():
            raise BackupError(
                "The database is not empty: restore into a new installation, or pass --force to replace "
                "everything in it."
            )
        if _media_holds_files():
            raise BackupError(
                f"The media folder {root} holds files: restore into an empty one, or pass --force."
            )
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        manifest = read_archive(source, staging)
        database.check_restorable(manifest.vendor)
        newer = database.unknown_migrations(manifest.migrations)
        if newer:
            raise BackupError(
                f"The backup is from a newer kpo ({manifest.kpo_version}): this one does not know the "
                f"migration(s) {', '.join(newer[:5])}. Install that version or a later one to restore it."
            )
        database.load(staging.joinpath(*PurePosixPath(manifest.database.name).parts), manifest.vendor)
        ContentType.objects.clear_cache()
        for member in manifest.files:
            target = root.joinpath(*stored_path(member.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging.joinpath(*PurePosixPath(member.name).parts), target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pending = database.migrations_pending()  # the backup is from an older kpo: bring it up to date
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return Outcome(manifest, migrated=pending)
