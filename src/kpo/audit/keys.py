"""The audit key: the secret that keys the chain's hashes and signs its checkpoints, held outside the
database.

`KPO_AUDIT_KEY` (at least 32 characters) when set, else the file `audit.key` in the data folder, made
(0600) at its first use. The key is read once per process and value, never per audit entry.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "audit.key"
MIN_KEY_LENGTH = 32

_loaded: dict[str, bytes] = {}


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def audit_key() -> bytes:
    """The key, made now when there is none. Raises ImproperlyConfigured when it is too short,
    OSError when the file cannot be made or read."""
    key = existing_audit_key()
    if key is None:
        _create(key_file())
        key = existing_audit_key()
    if key is None:
        raise ImproperlyConfigured(f"The audit key file {key_file()} could not be made.")
    return key


def required_audit_key() -> bytes:
    """The key of a chain that already has keyed entries: never a new one, which could not check them."""
    key = existing_audit_key()
    if key is None:
        raise ImproperlyConfigured(
            f"The audit trail is keyed, but its key is missing: put the backed-up key file back at "
            f"{key_file()} (or set KPO_AUDIT_KEY)."
        )
    return key


def existing_audit_key() -> bytes | None:
    """The key, or None when KPO_AUDIT_KEY is not set and the key file does not exist."""
    configured = os.environ.get("KPO_AUDIT_KEY", "")
    source = "KPO_AUDIT_KEY" if configured else str(key_file())
    cached = _loaded.get(source + "\0" + configured)
    if cached is not None:
        return cached
    if configured:
        key = _checked(configured, source)
    else:
        try:
            key = _checked(Path(source).read_text().strip(), source)
        except FileNotFoundError:
            return None
    _loaded[source + "\0" + configured] = key
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # exclusive: of two processes starting at once, one writes the key and both read it
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as written:
        written.write(secrets.token_hex(32) + "\n")


def _checked(value: str, source: str) -> bytes:
    if len(value) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"The audit key in {source} is shorter than {MIN_KEY_LENGTH} characters: "
            "put back the key the trail was written with."
        )
    return value.encode("utf-8")
