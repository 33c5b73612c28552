"""The audit key: the secret that keys the chain's hashes and signs its checkpoints, held outside the
database.

`KPO_AUDIT_KEY` (at least 32 characters) when set, else the file `audit.key` in the data folder, made
(0600) at its first use. The key is read once per process and value, never per audit entry.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "audit.key"
MIN_KEY_LENGTH = 32


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def audit_key() -> bytes:
    """The key; raises ImproperlyConfigured when it is too short or unreadable, OSError when the file
    cannot be made."""
    return _key(os.environ.get("KPO_AUDIT_KEY", ""), str(key_file()))


@functools.cache
def _key(configured: str, path: str) -> bytes:
    if configured:
        return _checked(configured, "KPO_AUDIT_KEY")
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        try:  # exclusive: of two processes starting at once, one writes the key and both read it
            descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as written:
                written.write(secrets.token_hex(32) + "\n")
    return _checked(file.read_text().strip(), str(file))


def _checked(value: str, source: str) -> bytes:
    if len(value) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"The audit key in {source} is shorter than {MIN_KEY_LENGTH} characters: "
            "restore the key that was in use, or it cannot check the audit trail."
        )
    return value.encode("utf-8")
