"""@mentions in a message: which handles a text names, and the text cut into plain and mentioned parts.

A handle is what follows an "@" that does not continue a word or an address (so "bob@example.com" names
nobody): letters, digits and the characters Django allows in a username (". @ + - _"), without the
punctuation that ends a sentence ("thanks @carol." names "carol"). Handles compare without regard to
case. Which handle is a person who may be told is decided elsewhere; this module only reads text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

MAX_HANDLE = 150  # Django's username length
_MENTION = re.compile(r"(?<![\w@.+\-])@(\w[\w.@+\-]*)")
_TRAILING = ".@+-"


@dataclass(frozen=True)
class Segment:
    text: str
    handle: str = ""
    """The handle (lower case) when this part is a mention of a known person, else empty."""


def _matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, handle as written) of each mention-shaped "@handle" in `text`."""
    found = []
    for match in _MENTION.finditer(text):
        handle = match.group(1).rstrip(_TRAILING)
        if handle and len(handle) <= MAX_HANDLE:
            found.append((match.start(), match.start() + 1 + len(handle), handle))
    return found


def handles_in(text: str) -> list[str]:
    """The distinct handles `text` mentions, lower case, in the order first written."""
    seen: dict[str, None] = {}
    for _start, _end, handle in _matches(text):
        seen.setdefault(handle.lower(), None)
    return list(seen)


def segments(text: str, known: Collection[str]) -> list[Segment]:
    """`text` cut into parts; a mention of one of the `known` handles (lower case) is its own part."""
    wanted = {handle.lower() for handle in known}
    parts: list[Segment] = []
    at = 0
    for start, end, handle in _matches(text):
        if handle.lower() not in wanted:
            continue
        if start > at:
            parts.append(Segment(text[at:start]))
        parts.append(Segment(text[start:end], handle.lower()))
        at = end
    if at < len(text) or not parts:
        parts.append(Segment(text[at:]))
    return parts
