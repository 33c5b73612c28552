"""Writing a backup archive, and reading one defensively: names, types and sizes are checked against
the manifest before a byte is kept, and every member's SHA-256 before anything is restored."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from kpo.site.backups.manifest import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    BackupError,
    Manifest,
    Member,
    file_member_name,
    parse_manifest,
    safe_member_name,
)

CHUNK = 1024 * 1024
COMPRESSION_LEVEL = 6


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def member_for(path: Path, name: str) -> Member:
    return Member(name, path.stat().st_size, sha256_of(path))


def stored_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under `root` (symbolic links are not followed), with its member name, sorted."""
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, file_member_name(PurePosixPath(path.relative_to(root).as_posix()))


class _Hashing(io.RawIOBase):
    """Reads a file for the archive and checks it is still the file the manifest describes."""

    def __init__(self, stream: IO[bytes], member: Member) -> None:
        self.stream, self.member = stream, member
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.digest.update(block)
        return block

    def check(self) -> None:
        if self.digest.hexdigest() != self.member.sha256:
            raise BackupError(f"{self.member.name} changed while it was backed up: run the backup again.")


def _info(name: str, size: int, mtime: float = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


def write_archive(target: Path, manifest: Manifest, sources: dict[str, Path]) -> None:
    """Write the manifest, then each member from `sources` (member name -> file), into `target`."""
    data = manifest.to_bytes()
    with tarfile.open(target, "w:gz", compresslevel=COMPRESSION_LEVEL, format=tarfile.PAX_FORMAT) as archive:
        archive.addfile(_info(MANIFEST_NAME, len(data)), io.BytesIO(data))
        for member in manifest.members:
            path = sources[member.name]
            with path.open("rb") as stream:
                reader = _Hashing(stream, member)
                archive.addfile(_info(member.name, member.size, path.stat().st_mtime), reader)
                reader.check()


def _open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r|*")
    except FileNotFoundError as error:
        raise BackupError(f"There is no file {source}.") from error
    except IsADirectoryError as error:
        raise BackupError(f"{source} is a folder, not a backup file.") from error
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError("It is not a kpo backup: not a (gzipped) tar archive.") from error


def _read_exactly(archive: tarfile.TarFile, info: tarfile.TarInfo, limit: int) -> bytes:
    extracted = archive.extractfile(info)
    if extracted is None:
        raise BackupError(f"The archive member {info.name[:200]} is not a file.")
    return extracted.read(limit)


def read_archive(source: Path, staging: Path) -> Manifest:
    """Check `source` and extract its members into `staging` (member names as paths below it).

    Raises BackupError, naming the reason, when it is not a kpo backup: not a tar archive, no manifest
    first, a garbled manifest, a member that is not a regular file, has an unsafe name, is not in the
    manifest, differs from it in size or SHA-256, or is missing.
    """
    try:
        with _open(source) as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST_NAME or not first.isfile():
                raise BackupError(
                    f"It is not a kpo backup: it does not start with a manifest ({MANIFEST_NAME})."
                )
            if first.size > MAX_MANIFEST_BYTES:
                raise BackupError(f"Its manifest is larger than {MAX_MANIFEST_BYTES} bytes.")
            manifest = parse_manifest(_read_exactly(archive, first, first.size))
            _check_room(manifest, staging)
            expected = {member.name: member for member in manifest.members}
            seen: set[str] = set()
            while (info := archive.next()) is not None:
                name = safe_member_name(info.name)
                if info.isdir():
                    continue
                if not info.isfile():
                    raise BackupError(f"The archive member {name[:200]} is not a regular file.")
                member = expected.get(name)
                if member is None or name in seen:
                    raise BackupError(
                        f"The archive member {name[:200]} is not in its manifest (or is there twice)."
                    )
                if info.size != member.size:
                    raise BackupError(
                        f"The archive member {name[:200]} does not have the size its manifest gives."
                    )
                _extract(archive, info, member, staging)
                seen.add(name)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(f"It is damaged: {error}.") from error
    except OSError as error:
        raise BackupError(f"It cannot be read or extracted: {error.strerror or error}.") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"It lacks {len(missing)} member(s) its manifest lists, first {missing[0][:200]}.")
    return manifest


def _check_room(manifest: Manifest, staging: Path) -> None:
    """The sizes the manifest declares must fit on the disk (checked before extracting anything)."""
    needed = sum(member.size for member in manifest.members)
    free = shutil.disk_usage(staging).free
    if needed > free:
        raise BackupError(
            f"It holds {needed:,} bytes but only {free:,} bytes are free next to the media folder."
        )


def _extract(archive: tarfile.TarFile, info: tarfile.TarInfo, member: Member, staging: Path) -> None:
    extracted = archive.extractfile(info)
    if extracted is None:
        raise BackupError(f"The archive member {member.name[:200]} is not a file.")
    target = staging.joinpath(*PurePosixPath(member.name).parts)
    if not target.resolve().is_relative_to(staging.resolve()):
        raise BackupError(f"The archive member {member.name[:200]} would land outside the restore folder.")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    with target.open("xb") as out:
        for block in iter(lambda: extracted.read(CHUNK), b""):
            written += len(block)
            if written > member.size:
                raise BackupError(f"The archive member {member.name[:200]} is longer than its manifest says.")
            digest.update(block)
            out.write(block)
    if written != member.size or digest.hexdigest() != member.sha256:
        raise BackupError(
            f"The archive member {member.name[:200]} does not match its SHA-256 in the manifest."
        )
