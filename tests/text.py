"""Writing expected page text in tests."""

from __future__ import annotations

from kpo.engine.overlap import DASH


def dashed(text: str) -> str:
    """`text` with each hyphen as the en dash of a range: dashed("09:00-12:30 Mon-Thu")."""
    return text.replace("-", DASH)
