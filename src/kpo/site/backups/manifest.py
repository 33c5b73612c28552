"""The manifest of a backup archive: what it holds, checked before anything is restored."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

FORMAT = "kpo-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "kpo-backup.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
MAX_NAME_CHARS = 1024
VENDORS = ("sqlite", "postgresql")
SHA256 = re.compile(r"[0-9a-f]{64}")


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why (and that nothing was changed)."""


@dataclass(frozen=True)
class Member:
    """A file in the archive besides the manifest: its archive name, size and SHA-256."""

    name: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Manifest:
    kpo_version: str
    created_at: dt.datetime
    vendor: str
    database: Member
    migrations: dict[str, list[str]]  # app label -> applied migration names
    files: list[Member]

    @property
    def members(self) -> list[Member]:
        return [self.database, *self.files]

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kpo_version": self.kpo_version,
            "created_at": self.created_at.isoformat(),
            "database": {"vendor": self.vendor, **self.database.to_json()},
            "migrations": self.migrations,
            "files": [member.to_json() for member in self.files],
        }
        return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")


def safe_member_name(name: str) -> str:
    """`name` if it is a relative path inside the archive with no way out of the folder it lands in."""
    path = PurePosixPath(name)
    if (
        not name
        or len(name) > MAX_NAME_CHARS
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in name.split("/"))
    ):
        raise BackupError(f"The archive has a member with an unsafe name: {name[:200]!r}.")
    return name


def file_member_name(relative: PurePosixPath) -> str:
    return safe_member_name(f"{FILES_DIR}/{relative.as_posix()}")


def stored_path(member_name: str) -> PurePosixPath:
    """The path under MEDIA_ROOT of a `files/...` member."""
    return PurePosixPath(member_name).relative_to(FILES_DIR)


def _member(raw: object, where: str) -> Member:
    if not isinstance(raw, dict):
        raise BackupError(f"The manifest's {where} is not an object.")
    name, size, digest = raw.get("name"), raw.get("size"), raw.get("sha256")
    if not isinstance(name, str):
        raise BackupError(f"The manifest's {where} has no name.")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise BackupError(f"The manifest's {where} ({name[:200]}) has no valid size.")
    if not isinstance(digest, str) or not SHA256.fullmatch(digest):
        raise BackupError(f"The manifest's {where} ({name[:200]}) has no valid SHA-256.")
    return Member(safe_member_name(name), size, digest)


def parse_manifest(data: bytes) -> Manifest:
    """The manifest in `data`, or a BackupError naming what is wrong with it."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"Its manifest ({MANIFEST_NAME}) is not valid JSON: {error}.") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"Its manifest ({MANIFEST_NAME}) does not say it is a {FORMAT}.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Its format version is {document.get('format_version')!r}; "
            f"this kpo reads version {FORMAT_VERSION}."
        )
    try:
        created_at = dt.datetime.fromisoformat(str(document.get("created_at")))
    except ValueError as error:
        raise BackupError("The manifest's created_at is not an ISO date and time.") from error
    database = document.get("database")
    if not isinstance(database, dict) or database.get("vendor") not in VENDORS:
        raise BackupError(f"The manifest names no database vendor ({' or '.join(VENDORS)}).")
    member = _member(database, "database")
    if PurePosixPath(member.name).parent != PurePosixPath(DATABASE_DIR):
        raise BackupError(f"The manifest's database is not in {DATABASE_DIR}/.")
    migrations = document.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(app, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
        for app, names in migrations.items()
    ):
        raise BackupError("The manifest's migrations are not a map of app labels to migration names.")
    raw_files = document.get("files")
    if not isinstance(raw_files, list):
        raise BackupError("The manifest has no list of files.")
    files = [_member(raw, "file list entry") for raw in raw_files]
    if any(PurePosixPath(f.name).parts[0] != FILES_DIR for f in files):
        raise BackupError(f"The manifest lists a file outside {FILES_DIR}/.")
    names = [member.name for member in (member, *files)]
    if len(set(names)) != len(names):
        raise BackupError("The manifest lists a member twice.")
    return Manifest(
        kpo_version=str(document.get("kpo_version", "")),
        created_at=created_at,
        vendor=str(database["vendor"]),
        database=member,
        migrations={app: list(names) for app, names in migrations.items()},
        files=files,
    )
