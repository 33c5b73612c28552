"""Typed-name signatures: the name check, the hash of what was signed and the signer's address."""

from __future__ import annotations

import hashlib
import ipaddress

from django.http import HttpRequest


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def names_match(typed: str, expected: str) -> bool:
    """Whether a typed name is the expected one, ignoring case and runs of spaces."""

    def norm(value: str) -> str:
        return " ".join(value.split()).casefold()

    return bool(norm(typed)) and norm(typed) == norm(expected)


def signer_name(full_name: str, username: str) -> str:
    """The name a user signs with: the account's full name, else the user name."""
    return full_name.strip() or username


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
