"""Recovery codes: random, shown once, stored only as a hash in django-otp's static tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets

CODE_COUNT = 10
CODE_BYTES = 10
"""80 random bits per code: a stored hash cannot be turned back into a code by trying them all."""
STORED_LENGTH = 16
"""A StaticToken's token holds at most 16 characters: the first 16 hex digits of the code's SHA-256."""


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()[:STORED_LENGTH]


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_codes() -> list[str]:
    return [new_code() for _ in range(CODE_COUNT)]
