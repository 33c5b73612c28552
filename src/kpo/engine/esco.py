"""Reading the ESCO CSVs shipped in kpo/data.

The CSVs join each concept's preferred label, its alternative labels and its description into one
text. The preferred label is recovered with a heuristic: the label run ends where the description's
first capitalised word starts, and the preferred label ends where an alternative begins, recognised
by repeating the first word or a word pair already seen.
"""

from __future__ import annotations

MAX_LABEL_WORDS = 8


def _is_sentence_start(word: str) -> bool:
    letters = word.rstrip(",.;:").replace("-", "")
    return len(letters) > 1 and letters[0].isupper() and letters[1:].islower()


def preferred_label(text: str) -> str:
    words = text.split()
    if not words:
        return ""
    end = len(words)
    for index in range(1, len(words)):
        if _is_sentence_start(words[index]):
            end = index
            break
    labels = words[:end]
    seen_pairs: set[tuple[str, str]] = set()
    cut = len(labels)
    for index in range(1, len(labels)):
        pair = (labels[index], labels[index + 1]) if index + 1 < len(labels) else None
        if labels[index] == labels[0] or (pair is not None and pair in seen_pairs):
            cut = index
            break
        seen_pairs.add((labels[index - 1], labels[index]))
    return " ".join(labels[: min(cut, MAX_LABEL_WORDS)])
