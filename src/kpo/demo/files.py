"""Small text files for the demo world (briefs, deliverables), written to the default storage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

DEMO_PREFIX = "vault/demo"


@dataclass(frozen=True)
class StoredText:
    name: str  # the storage name, for the FileField
    original_name: str
    content_type: str
    size: int
    sha256: str


def store_text(folder: str, original_name: str, text: str) -> StoredText:
    """Write `text` (UTF-8) under vault/demo/<folder>/, replacing a file of the same name."""
    content = text.encode("utf-8")
    name = f"{DEMO_PREFIX}/{folder}/{original_name}"
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(content))
    content_type = "text/markdown" if original_name.endswith(".md") else "text/plain"
    return StoredText(stored, original_name, content_type, len(content), hashlib.sha256(content).hexdigest())


def brief_text(*, client: str, engagement: str, title: str, description: str) -> str:
    return (
        f"# Brief: {title}\n\n"
        f"Client: {client}  \nEngagement: {engagement}\n\n"
        f"## What we need\n\n{description}\n\n"
        "## Material\n\nThe data exports named in the description are shared through this task only. "
        "Do not copy them elsewhere.\n"
    )


def deliverable_text(*, title: str, client: str, author: str, provider: str, version: int, note: str) -> str:
    return (
        f"# {title}\n\n"
        f"Version {version}, prepared by {author} ({provider}) for {client}.\n\n"
        "## Summary\n\n"
        "The analysis follows the brief. The main findings, the method and the data used are set out "
        "below; figures are reproducible from the attached workbook.\n\n"
        "## Findings\n\n"
        "1. The largest loss is concentrated in a few machines and shifts.\n"
        "2. Most of it can be addressed with changes the site can make itself.\n"
        "3. The remaining items need investment; each is costed with its payback time.\n\n"
        f"## Changes in this version\n\n{note}\n"
    )
