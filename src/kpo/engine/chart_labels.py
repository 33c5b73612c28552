"""Chart labels that fit: a label broken into at most a few lines of a given width, between words."""

from __future__ import annotations

ELLIPSIS = "…"


def wrap_label(text: str, width: int, lines: int = 2) -> tuple[str, ...]:
    """`text` in at most `lines` lines of at most `width` characters, broken between words.

    A word longer than a line is cut; when the text does not fit, the last line ends in "…" (the page
    then shows the whole label in a tooltip and in the chart's table).
    """
    if width < 2 or lines < 1:
        raise ValueError("a label needs a width of at least 2 and at least one line")
    words = text.split()
    shown: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            shown.append(current)
        if len(shown) == lines:
            return _cut(shown, width)
        current = word if len(word) <= width else word[: width - 1] + ELLIPSIS
        if len(word) > width and len(shown) == lines - 1:
            return (*shown, current)
    if current:
        shown.append(current)
    return tuple(shown)


def _cut(shown: list[str], width: int) -> tuple[str, ...]:
    """The lines shown, the last one ending in "…" because the rest does not fit."""
    return (*shown[:-1], shown[-1][: width - 1].rstrip() + ELLIPSIS)
