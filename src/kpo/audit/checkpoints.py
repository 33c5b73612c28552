"""Signed checkpoints of the chain's head, kept outside the database.

Each checkpoint is one line of JSON appended to a file (`KPO_AUDIT_CHECKPOINTS`, default
`<data dir>/audit-checkpoints.log`, made 0600): the head's sequence number and hash, when it was
taken, the first keyed sequence number and the retention floor, signed with an HMAC of the audit
key. `kpo audit verify` then knows, without trusting the database, how long the chain was and what
it held.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from kpo.engine.audit_chain import checkpoint_is_signed, sign_checkpoint

FILE_NAME = "audit-checkpoints.log"
VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    sealed: int
    """The first keyed sequence number at the time (0: none yet)."""
    floor: int
    """The last purged sequence number at the time."""

    def fields(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "sealed": self.sealed,
            "floor": self.floor,
        }


class CheckpointError(Exception):
    """The checkpoint file cannot be read, or holds a line the audit key did not sign."""


def checkpoints_file() -> Path:
    """`KPO_AUDIT_CHECKPOINTS` (setting, else environment variable), else the data folder's file."""
    configured = getattr(settings, "KPO_AUDIT_CHECKPOINTS", None) or os.environ.get("KPO_AUDIT_CHECKPOINTS")
    return Path(configured) if configured else Path(settings.DATA_DIR) / FILE_NAME


def append_checkpoint(path: Path, key: bytes, checkpoint: Checkpoint) -> None:
    """One signed line at the end of the file (made 0600), written in a single append."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(sign_checkpoint(key, checkpoint.fields()), sort_keys=True) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_checkpoints(path: Path, key: bytes | None) -> list[Checkpoint]:
    """Every checkpoint in the file, in file order; [] when there is no file.

    Raises CheckpointError naming the first line that is not a checkpoint signed with `key`, or when
    there are checkpoints but no key to check them with.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"the checkpoint file {path} cannot be read: {error}") from error
    if key is None and text.strip():
        raise CheckpointError(f"the audit key is missing, so the checkpoints in {path} cannot be checked")
    checkpoints = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and key is not None:
            checkpoints.append(_parsed(line, key, f"line {number} of the checkpoint file {path}"))
    return checkpoints


def _parsed(line: str, key: bytes, where: str) -> Checkpoint:
    try:
        document = json.loads(line)
    except ValueError as error:
        raise CheckpointError(f"{where} is not JSON: it was damaged or edited") from error
    if not isinstance(document, dict) or not checkpoint_is_signed(key, document):
        raise CheckpointError(f"{where} is not signed with the audit key: it was forged or edited")
    try:
        return Checkpoint(
            seq=int(document["seq"]),
            hash=str(document["hash"]),
            at=str(document["at"]),
            sealed=int(document["sealed"]),
            floor=int(document["floor"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{where} lacks a field of a checkpoint: {error}") from error
