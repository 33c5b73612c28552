"""Detectors beyond Presidio's (pure): phone formats its validator rejects, spelled-out e-mail addresses,
and the variants of a declared term that people actually write.

* Phones: Danish numbers with +45 or 0045 in any spacing, Danish pairs ("12 34 56 78"), eight digits
  after a phone word ("tlf.", "tel.", "mobil", "ring", "call"), North American numbers
  ("(555) 123-4567", "555-123-4567", "+1 555 123 4567") and any "+"-prefixed number of 8 to 15
  digits. `plausible_phone` tells which of Presidio's own phone findings to keep: not dates, and not a
  bare run of digits (CVR, invoice and order numbers) unless a phone word stands before it.
* E-mail addresses written out: "mette dot kjaer at nordvind dot example", "mette (at) nordvind
  (dot) dk", "mette[at]nordvind[dot]dk", "mette snabel-a nordvind punktum dk".
* Declared terms: letters with and without diacritics ("Kjær", "Kjaer", "Kjar"), hyphens and soft
  hyphens inside words ("Tail-wind"), any spacing or hyphen between words, a possessive "'s"; for a
  person also the initial and surname ("M. Kjær"); for a customer also a distinctive first word
  written with a capital ("Havbris" for "Havbris Energi").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from kpo.engine.redaction import Category, Finding

PHONE_SCORE = 0.7
SPELLED_EMAIL_SCORE = 0.9
TERM_VARIANT_SCORE = 0.95
_CONTEXT_WINDOW = 30

# -- phones ---------------------------------------------------------------------------------------

_PHONE_WORDS = re.compile(
    r"\b(?:tel|tlf|telefon|telephone|phone|mobil|mobile|mob|cell|fax|ring|call|dial|sms|whatsapp)\b\.?",
    re.IGNORECASE,
)
_SEP = r"[ .\-\u00a0]?"
_PHONE_PATTERNS = (
    # Danish, international prefix: +45 12345678, +4512345678, 0045 1234 5678, +45 12 34 56 78
    re.compile(rf"(?<![\w+])(?:\+|00)45{_SEP}(?:\d{_SEP}){{7}}\d(?![\w])"),
    # Danish pairs: 12 34 56 78
    re.compile(r"(?<![\w.,+-])\d{2}(?: \d{2}){3}(?![\w]|[.,]\d)"),
    # North America: (555) 123-4567, +1 (212) 555-0188, 555-123-4567, +1 555 123 4567
    re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?!\d)"),
    re.compile(r"(?<![\w.-])\d{3}-\d{3}-\d{4}(?![\w-])"),
    re.compile(r"(?<![\w+])\+1[ .-]?\d{3}[ .-]\d{3}[ .-]\d{4}(?!\d)"),
)
# any number written with its country code
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .\-\u00a0]?(?:\(\d+\)|\d+)){1,6}(?![\w])")
# eight digits, as a phone word may introduce them: 12345678, 1234 5678, 12 34 56 78, 12-34-56-78
_EIGHT = re.compile(r"(?<![\w+.,-])\d{2}(?:[ .\-]?\d{2}){3}(?![\w]|[.,-]\d)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")


def _has_phone_word_before(text: str, start: int) -> bool:
    return _PHONE_WORDS.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None


def plausible_phone(text: str, start: int, end: int) -> bool:
    """Whether a span another recogniser read as a phone number is one: not a date, and not a bare
    run of digits (an invoice, order or CVR number) unless a phone word stands just before it."""
    span = text[start:end].strip()
    if _DATE.match(span):
        return False
    if span.isdigit() and not span.startswith("00"):
        return _has_phone_word_before(text, start)
    return True


def find_phones(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for pattern in _PHONE_PATTERNS:
        findings.extend(
            Finding(m.start(), m.end(), Category.PHONE, PHONE_SCORE) for m in pattern.finditer(text)
        )
    for match in _INTERNATIONAL.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group())
        if 8 <= digits <= 15:
            findings.append(Finding(match.start(), match.end(), Category.PHONE, PHONE_SCORE))
    for match in _EIGHT.finditer(text):
        if _has_phone_word_before(text, match.start()):
            findings.append(Finding(match.start(), match.end(), Category.PHONE, PHONE_SCORE))
    return findings


# -- spelled-out e-mail addresses -------------------------------------------------------------------

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_SPELLED_DOT = rf"(?:\s+(?:dot|punktum|prik)\s+|\s*{_OPEN}\s*(?:dot|punktum|prik)\s*{_CLOSE}\s*)"
_SPELLED_AT = rf"(?:\s+(?:at|snabel-?a)\s+|\s*{_OPEN}\s*(?:at|snabel-?a|@)\s*{_CLOSE}\s*)"
_DOT = rf"(?:\.|{_SPELLED_DOT})"
_AT = rf"(?:\s*@\s*|{_SPELLED_AT})"
_TOKEN = r"[^\W_][\w+\-]*"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])({_TOKEN}(?:{_DOT}{_TOKEN})*){_AT}({_TOKEN}(?:{_DOT}{_TOKEN})*{_DOT}[^\W\d_]{{2,24}})(?![\w@])",
    re.IGNORECASE,
)
_SPELLED_PART = re.compile(rf"{_SPELLED_DOT}|{_SPELLED_AT}", re.IGNORECASE)


def find_spelled_emails(text: str) -> list[Finding]:
    """Addresses with "at", "dot" and the like written out (plain addresses are Presidio's)."""
    findings = []
    for match in _SPELLED_EMAIL.finditer(text):
        if _SPELLED_PART.search(match.group()):
            findings.append(Finding(match.start(), match.end(), Category.EMAIL, SPELLED_EMAIL_SCORE))
    return findings


# -- variants of declared terms ---------------------------------------------------------------------

_SOFT = "[\\-\u00ad\u2010\u2011]?"
_BETWEEN_WORDS = "[\\s\\-\u2010\u2011\u2013]+"
_DIGRAPHS = {
    "ae": f"(?:a{_SOFT}e|æ|ä)",
    "oe": f"(?:o{_SOFT}e|ø|ö)",
    "aa": f"(?:a{_SOFT}a|å)",
    "ue": f"(?:u{_SOFT}e|ü)",
}
_LETTER = {
    "æ": "(?:æ|ae|ä|a)",
    "ä": "(?:ä|ae|æ|a)",
    "ø": "(?:ø|oe|ö|o)",
    "ö": "(?:ö|oe|ø|o)",
    "å": "(?:å|aa|a)",
    "ü": "(?:ü|ue|u)",
    "ß": "(?:ß|ss)",
    "a": "[aáàâãåä]",
    "e": "[eéèêë]",
    "i": "[iíìîï]",
    "o": "[oóòôõöø]",
    "u": "[uúùûü]",
    "c": "[cç]",
    "n": "[nñ]",
    "y": "[yý]",
    "'": "['\u2019]?",
    "\u2019": "['\u2019]?",
}
_TAIL = "(?:['\u2019]s)?(?![\\w])"
_GENERIC = """the den det de a an og and of for nordic nordisk nordiske dansk danske danish
    scandinavian european
    international global first new north south east west nord syd øst vest group gruppen holding bank
    banken energy energi service services consulting partners company selskabet united general national
    royal city store great green blue red black white best top one all my our your"""
_GENERIC_FIRST_WORDS = frozenset(_GENERIC.split())
_MIN_FIRST_WORD = 4


def _base(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def _word_pattern(word: str) -> str:
    parts: list[str] = []
    lowered = word.lower()
    index = 0
    while index < len(lowered):
        pair = lowered[index : index + 2]
        if pair in _DIGRAPHS:
            parts.append(_DIGRAPHS[pair])
            index += 2
            continue
        char = lowered[index]
        base = _base(char)
        if char in _LETTER:
            parts.append(_LETTER[char])
        elif base and base != char and base in _LETTER:
            parts.append(_LETTER[base])
        else:
            parts.append(re.escape(char))
        index += 1
    return _SOFT.join(parts)


def _words(term: str) -> list[str]:
    return [w for w in re.split(r"[\s\-\u2010\u2011\u2013]+", term.strip()) if w]


def _phrase_pattern(words: Sequence[str]) -> str:
    return _BETWEEN_WORDS.join(_word_pattern(w) for w in words)


def _distinctive_first_word(words: Sequence[str]) -> str | None:
    if len(words) < 2:
        return None
    first = words[0]
    if len(first) < _MIN_FIRST_WORD or first.lower() in _GENERIC_FIRST_WORDS or not first[0].isupper():
        return None
    return first


@functools.lru_cache(maxsize=256)
def _term_patterns(term: str, category: Category) -> tuple[tuple[re.Pattern[str], bool], ...]:
    """The compiled variants of one term, each with whether its match must start with a capital."""
    words = _words(term)
    if not words:
        return ()
    flags = re.IGNORECASE
    patterns: list[tuple[re.Pattern[str], bool]] = [
        (re.compile(rf"(?<![\w]){_phrase_pattern(words)}{_TAIL}", flags), False)
    ]
    if category is Category.PERSON and len(words) >= 2 and words[0][0].isalpha():
        initial = _word_pattern(words[0][0])
        patterns.append(
            (re.compile(rf"(?<![\w]){initial}\.?\s*{_phrase_pattern(words[-1:])}{_TAIL}", flags), True)
        )
    first = _distinctive_first_word(words) if category is Category.CUSTOMER else None
    if first is not None:
        patterns.append((re.compile(rf"(?<![\w]){_word_pattern(first)}{_TAIL}", flags), True))
    return tuple(patterns)


def find_term_variants(text: str, terms: Iterable[tuple[str, Category]]) -> list[Finding]:
    """Occurrences of the declared terms as people write them (see the module text)."""
    findings: list[Finding] = []
    for term, category in terms:
        for pattern, capital in _term_patterns(term.strip(), category):
            for match in pattern.finditer(text):
                if capital and not text[match.start()].isupper():
                    continue
                findings.append(Finding(match.start(), match.end(), category, TERM_VARIANT_SCORE))
    return findings


def drop_nested(findings: Iterable[Finding]) -> list[Finding]:
    """Without findings of one category inside another of that category (the wider or, for the same
    span, the higher-scored one stays), and without any finding inside an e-mail address."""
    ordered = sorted(set(findings), key=lambda f: (f.start, -(f.end - f.start), -f.score))
    kept: list[Finding] = []
    for finding in ordered:
        inside = any(
            other.start <= finding.start
            and finding.end <= other.end
            and (other.category is finding.category or other.category is Category.EMAIL)
            for other in kept
        )
        if not inside:
            kept.append(finding)
    return kept
