"""Redaction: Danish CPR validation and consistent placeholders (pure; detection lives in kpo.redaction).

The detectors (Presidio's pattern and deny-list recognisers) report *findings*: a span of the text, a
category and a score. `redact` resolves overlapping findings (highest score, then the longest span, then
the earliest wins), and replaces each remaining span with a placeholder such as `[EMAIL-1]`. A
`PlaceholderBook` hands out the placeholders: the same term (compared without case, spacing and, for
numbers, punctuation) always gets the same placeholder within one book, so an expert can still follow
"[CUSTOMER-1] asked [PERSON-2] to ..." across a task's description and its documents.

Danish CPR numbers (personnummer) are DDMMYY-SSSS or DDMMYYSSSS. The seventh digit and the two-digit
year together give the century (CPR-kontoret's table, below), so 29 February is valid only in leap
years of the right century. The modulus-11 check digit is deliberately *not* required: since
1 October 2007 the CPR office issues numbers that fail it, because some birth dates had run out of
modulus-11 numbers, so a modulus-11 filter would let real, newer CPR numbers through unredacted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Category(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    IBAN = "iban"
    CPR = "cpr"
    CREDIT_CARD = "credit_card"
    PRODUCT = "product"
    CUSTOMER = "customer"
    PERSON = "person"
    OTHER = "other"


PLACEHOLDER_LABELS: dict[Category, str] = {
    Category.EMAIL: "EMAIL",
    Category.PHONE: "PHONE",
    Category.IBAN: "IBAN",
    Category.CPR: "CPR",
    Category.CREDIT_CARD: "CARD",
    Category.PRODUCT: "PRODUCT",
    Category.CUSTOMER: "CUSTOMER",
    Category.PERSON: "PERSON",
    Category.OTHER: "TERM",
}

# Categories whose values are numbers written with optional separators: "+45 12 34 56 78" and
# "+4512345678" are the same phone number and get the same placeholder.
NUMERIC_CATEGORIES = frozenset({Category.PHONE, Category.IBAN, Category.CPR, Category.CREDIT_CARD})

# DDMMYY, an optional hyphen, SSSS; not part of a longer run of digits or hyphenated digits.
CPR_PATTERN = r"(?<![\w-])\d{6}-?\d{4}(?![\w-])"
_CPR_PARTS = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$")


def cpr_birth_date(candidate: str) -> date | None:
    """The birth date a CPR number encodes, or None when it is not a CPR number with a real date."""
    match = _CPR_PARTS.match(candidate.strip())
    if match is None:
        return None
    day, month, yy, seventh = (int(match.group(i)) for i in range(1, 5))
    year = _cpr_century(yy, seventh) + yy
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cpr_century(yy: int, seventh: int) -> int:
    """CPR-kontoret's century table: the seventh digit and the two-digit year give the century."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5, 6, 7, 8
    return 2000 if yy <= 57 else 1800


def is_valid_cpr(candidate: str) -> bool:
    """DDMMYY-SSSS or DDMMYYSSSS with a real birth date (no modulus-11 check: see the module text)."""
    return cpr_birth_date(candidate) is not None


@dataclass(frozen=True)
class Finding:
    """A detected span of text: [start, end) in the analysed text."""

    start: int
    end: int
    category: Category
    score: float = 1.0

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"A finding needs 0 <= start < end, got {self.start}..{self.end}.")


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep non-overlapping findings: the highest score, then the longest, then the earliest wins."""
    ranked = sorted(set(findings), key=lambda f: (-f.score, -(f.end - f.start), f.start, f.category.value))
    kept: list[Finding] = []
    for finding in ranked:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def normalise_term(category: Category, text: str) -> str:
    """The key a term's placeholder is kept under: no case, single spaces, numbers without punctuation."""
    if category in NUMERIC_CATEGORIES:
        return "".join(ch for ch in text.casefold() if ch.isalnum())
    return " ".join(text.casefold().split())


@dataclass
class PlaceholderBook:
    """Hands out `[LABEL-n]` placeholders, numbered per label in order of first appearance."""

    _assigned: dict[tuple[Category, str], str] = field(default_factory=dict)
    _counters: Counter[str] = field(default_factory=Counter)

    def placeholder_for(self, category: Category, text: str) -> str:
        key = (category, normalise_term(category, text))
        existing = self._assigned.get(key)
        if existing is not None:
            return existing
        label = PLACEHOLDER_LABELS[category]
        self._counters[label] += 1
        placeholder = f"[{label}-{self._counters[label]}]"
        self._assigned[key] = placeholder
        return placeholder

    def copy(self) -> PlaceholderBook:
        return PlaceholderBook(dict(self._assigned), Counter(self._counters))


@dataclass(frozen=True)
class Segment:
    """A piece of the redacted text: kept text (category None) or a placeholder that replaced something."""

    text: str
    category: Category | None = None


@dataclass(frozen=True)
class Redaction:
    text: str
    segments: tuple[Segment, ...]

    @property
    def replaced(self) -> int:
        return sum(1 for s in self.segments if s.category is not None)

    def counts(self) -> list[tuple[Category, int, int]]:
        """Per category (in the enum's order): occurrences replaced, and how many distinct placeholders."""
        occurrences: Counter[Category] = Counter()
        distinct: dict[Category, set[str]] = {}
        for segment in self.segments:
            if segment.category is not None:
                occurrences[segment.category] += 1
                distinct.setdefault(segment.category, set()).add(segment.text)
        return [(c, occurrences[c], len(distinct[c])) for c in Category if occurrences[c]]


def redact(text: str, findings: Sequence[Finding], book: PlaceholderBook | None = None) -> Redaction:
    """Replace every finding (after resolving overlaps) with its placeholder from `book`."""
    book = book if book is not None else PlaceholderBook()
    segments: list[Segment] = []
    position = 0
    for finding in resolve_overlaps(f for f in findings if f.end <= len(text)):
        if finding.start > position:
            segments.append(Segment(text[position : finding.start]))
        original = text[finding.start : finding.end]
        segments.append(Segment(book.placeholder_for(finding.category, original), finding.category))
        position = finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return Redaction("".join(s.text for s in segments), tuple(segments))
