"""Glossary terms in a text: whether a term is used in it (as whole words, without regard to case), and a
glossary ordered with the terms a text uses first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def uses(text: str, phrase: str) -> bool:
    """Whether `text` contains `phrase` as whole words (any case, any run of spaces between words)."""
    if not phrase.split():
        return False
    return _pattern(phrase).search(text) is not None


def used_first(text: str, items: Sequence[T], forms: Callable[[T], Sequence[str]]) -> list[tuple[T, bool]]:
    """`items` with whether `text` uses one of their `forms`, those used first; otherwise in their order."""
    marked = [(item, any(uses(text, form) for form in forms(item))) for item in items]
    return [pair for pair in marked if pair[1]] + [pair for pair in marked if not pair[1]]
