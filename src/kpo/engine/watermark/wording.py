"""The wording fingerprint: each recipient's copy makes its own meaning-preserving choices.

The typographic channels (``text``) live in characters a retyped or OCR'd copy loses. This channel
lives in the words: at each *choice point* of a document the copy uses one of two or three equivalent
wordings, picked for the recipient's download id:

* phrases and synonyms from a curated list per language (``kpo/data/watermark/variants_en.tsv`` and
  ``variants_da.tsv``: "in order to"/"to", "approximately"/"about"/"around", "selv om"/"selvom",
  -ise/-ize, "three"/"3", contractions …), each group checked by hand for meaning in business prose;
* rules for number, per-cent and date formats ("12 %"/"12%"/"12 per cent", "1,000"/"1 000",
  "3 March 2026"/"March 3, 2026", "3. marts 2026"/"3/3 2026");
* optional commas: the serial comma and the comma before "and" (English), the start comma before
  "at", "når", "hvis" and "fordi" where the original has one (Danish).

**Code.** The alternative at point ``j`` for download ``d`` is ``H(d, key_j) mod m_j``, with ``H`` a
keyed hash and ``key_j`` the point's own context (its wordings and the words around it), so a point
keeps its choice however the rest of the document changes. Each download's copy is thus a codeword
of a random code over the document's points (the strongest kind of code, decoded here by maximum
likelihood), and no choice depends on any other: a fragment, a paraphrased sentence or a mistyped
word costs only the points it touches.

**Decoding** needs the original (the vault keeps it) and the candidate downloads (those of that
document). The suspect text is normalised (case, whitespace, quotes, dashes, invisible characters,
hyphenated line breaks), aligned word by word to the original, and at each choice point whose
neighbouring words were found the alternative that fits best is read (a point that fits none
clearly is left out). Each candidate's predicted choices are compared with what was read. Under
chance (an unmarked copy, or someone else's), a candidate matches point ``j`` with probability
``1 / m_j`` independently, so the number of matches follows a known Poisson-binomial law; the
confidence is ``1 - N * P(chance matches >= observed)`` for ``N`` candidates (a union bound: the
chance that *any* innocent candidate fits this well). A download is named only above the threshold.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from kpo.engine.watermark.text import LATIN_OF, NBSP, ZW_DIGITS, _protected_mask
from kpo.engine.watermark.wording_rules import Found, Language, rule_points

WORDING_THRESHOLD = 0.999
"""Name a download from the wording only when ``N * p <= 0.001`` (ten times stricter than the
typographic channels: at 0.99 one paraphrased paragraph in a hundred named the wrong download in the
bench) *and* it explains the text better than the unmarked original does."""


@dataclass(frozen=True)
class Group:
    alternatives: tuple[str, ...]
    recognised: tuple[bool, ...]
    """Which alternatives, found in a text, make a choice point (``>`` lines: the first only)."""


@dataclass(frozen=True)
class ChoicePoint:
    start: int
    end: int
    """The span in the original text."""
    alternatives: tuple[str, ...]
    """The equivalent wordings, as they would be written here (capital first letter kept)."""
    original: int
    """Which alternative the original has."""
    key: str
    """The point's identity for the code: its wordings and the words around it."""
    rule: str


def _parse(text: str) -> tuple[Group, ...]:
    groups: list[Group] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, *alternatives = raw.split("\t")
        if kind not in {"=", ">"} or len(alternatives) < 2:
            raise ValueError(f"bad variant line: {raw!r}")
        recognised = tuple(kind == "=" or i == 0 for i in range(len(alternatives)))
        groups.append(Group(tuple(alternatives), recognised))
    return tuple(groups)


@cache
def groups_for(language: Language) -> tuple[Group, ...]:
    """The curated groups of one language, read once from the package."""
    data = files("kpo.data").joinpath(f"watermark/variants_{language.value}.tsv").read_text("utf-8")
    return _parse(data)


@cache
def _phrase_index(language: Language) -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    found: dict[str, tuple[int, int]] = {}
    for g, group in enumerate(groups_for(language)):
        for a, alternative in enumerate(group.alternatives):
            if group.recognised[a]:
                found.setdefault(alternative.lower(), (g, a))
    ordered = sorted(found, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.IGNORECASE
    )
    return pattern, found


def _phrase_points(text: str, language: Language) -> list[Found]:
    pattern, index = _phrase_index(language)
    groups = groups_for(language)
    found: list[Found] = []
    for match in pattern.finditer(text):
        matched = match.group(1)
        g, a = index[matched.lower()]
        alternatives = list(groups[g].alternatives)
        capital = matched[0].isupper()
        if capital:
            if any(alt[0].isdigit() for alt in alternatives):
                continue  # never start a sentence with a figure
            alternatives = [alt[0].upper() + alt[1:] for alt in alternatives]
        alternatives[a] = matched
        found.append(Found(match.start(1), match.end(1), tuple(alternatives), a, "phrase"))
    return found


_WORDS = re.compile(r"\w+")


def choice_points(text: str, language: Language | str) -> list[ChoicePoint]:
    """The choice points of ``text`` in order, none overlapping another or touching Markdown syntax."""
    lang = Language(language)
    mask = _protected_mask(text)
    candidates = rule_points(text, lang) + _phrase_points(text, lang)
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Found] = []
    taken_until = -1
    for found in candidates:
        if found.start < taken_until or any(mask[found.start : found.end]):
            continue
        if "\n" in text[found.start : found.end]:
            continue
        chosen.append(found)
        taken_until = found.end
    points: list[ChoicePoint] = []
    seen: dict[str, int] = {}
    for found in chosen:
        before = [w.lower() for w in _WORDS.findall(text[max(0, found.start - 60) : found.start])][-3:]
        after = [w.lower() for w in _WORDS.findall(text[found.end : found.end + 60])][:3]
        base = "|".join(
            (found.rule, "/".join(a.lower() for a in sorted(found.alternatives)), *before, "^", *after)
        )
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        points.append(
            ChoicePoint(
                start=found.start,
                end=found.end,
                alternatives=found.alternatives,
                original=found.original,
                key=f"{base}#{occurrence}",
                rule=found.rule,
            )
        )
    return points


_MASK64 = (1 << 64) - 1


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, key=b"kpo wording v1", digest_size=8).digest(), "big")


def _seed(download_id: int) -> int:
    return _hash64(b"id:" + download_id.to_bytes(16, "big"))


def _point_hash(point: ChoicePoint) -> int:
    return _hash64(b"point:" + point.key.encode("utf-8"))


def _mix(value: int) -> int:
    """The splitmix64 finaliser (the same arithmetic as ``_mix_array``)."""
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _mix_array(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def choice(download_id: int, point: ChoicePoint) -> int:
    """Which alternative the copy for ``download_id`` uses at ``point``."""
    return _mix(_seed(download_id) ^ _point_hash(point)) % len(point.alternatives)


def choices_for(candidates: Sequence[int], points: Sequence[ChoicePoint]) -> npt.NDArray[np.int64]:
    """``choice(c, p)`` for every candidate (rows) and point (columns), computed at once."""
    seeds = np.array([_seed(c) for c in candidates], dtype=np.uint64)
    hashes = np.array([_point_hash(p) for p in points], dtype=np.uint64)
    sizes = np.array([len(p.alternatives) for p in points], dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = _mix_array(seeds[:, None] ^ hashes[None, :])
    return (mixed % sizes[None, :]).astype(np.int64)


def apply_choices(text: str, points: Sequence[ChoicePoint], picks: Sequence[int]) -> str:
    out: list[str] = []
    pos = 0
    for point, pick in zip(points, picks, strict=True):
        out.append(text[pos : point.start])
        out.append(point.alternatives[pick] if pick != point.original else text[point.start : point.end])
        pos = point.end
    out.append(text[pos:])
    return "".join(out)


def vary(text: str, download_id: int, language: Language | str) -> str:
    """The copy of ``text`` for one download: each choice point takes the download's alternative."""
    points = choice_points(text, language)
    return apply_choices(text, points, [choice(download_id, p) for p in points])


_DANISH_WORDS = frozenset(["og", "at", "det", "er", "af", "på", "med", "til", "en", "de", "ikke", "som"])
_ENGLISH_WORDS = frozenset(["the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "not", "as"])


def detect_language(text: str) -> Language:
    """Danish or English, by the commonest short words (English when in doubt)."""
    words = [w.lower() for w in _WORDS.findall(text[:20_000])]
    danish = sum(
        w in {"og", "at", "det", "er", "af", "på", "med", "til", "en", "de", "ikke", "som"} for w in words
    )
    english = sum(
        w in {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "not", "as"} for w in words
    )
    danish += 3 * sum(c in "æøå" for c in text[:20_000].lower())
    return Language.DA if danish > english else Language.EN


# -- reading -------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, [*ZW_DIGITS, "\ufeff", "\u200e", "\u200f", "\u00ad"]))
_FOLD = str.maketrans(
    {
        **{cyr: lat for cyr, lat in LATIN_OF.items()},
        NBSP: " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w)")


def fold(text: str) -> str:
    """What retyping and OCR leave comparable: no invisible characters, one kind of quote, dash and
    space, lower case, hyphenated line breaks joined."""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE).translate(_FOLD))
    text = _HYPHEN_BREAK.sub("", text)
    return " ".join(text.lower().split())


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['-]\w+)*|[^\w\s]")


def tokens_of(text: str) -> list[str]:
    """Words (a figure keeps a % written against it), and each punctuation mark, of folded text."""
    return _TOKEN.findall(fold(text))


def _spans(text: str) -> list[tuple[int, int]]:
    """The character span of each token of ``text`` (unfolded; tokens as ``tokens_of`` finds them)."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text.lower())]


@dataclass(frozen=True)
class Observation:
    point: int
    """Index into the document's choice points."""
    alternative: int


GAP = 1.0
PUNCTUATION_GAP = 0.5
MATCH = 2.0
NEAR_MATCH = 1.0
"""A word one typo away from the lattice's word (a letter wrong, missing, added or two swapped)."""
MISMATCH = -1.0
WINDOW_MARGIN = 100
"""Characters of the original around the located fragment that are laid out for reading."""


def _corrected(tokens: Sequence[str], vocabulary: set[str], known: Sequence[str]) -> list[str]:
    """The suspect's words, each mistyped word replaced by the closest word of the original or of its
    alternatives (so a typo costs nothing where it is clear what was meant)."""
    out: list[str] = []
    cache: dict[str, str] = {}
    for token in tokens:
        if token in vocabulary or len(token) < 3 or not token[0].isalpha():
            out.append(token)
            continue
        if token not in cache:
            close = difflib.get_close_matches(token, known, n=1, cutoff=0.75)
            cache[token] = close[0] if close else token
        out.append(cache[token])
    return out


def local_alignment(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    """The best-scoring local alignment of ``b`` inside ``a`` (Smith-Waterman: +2 for a match, -1 for a
    mismatch or a gap); which token of ``a`` each matched token of ``b`` stands for. Unlike a
    longest-common-block matcher it keeps a fragment together where a document repeats a sentence."""
    rows = len(b)
    width = len(a) + 1
    score = [[0] * width for _ in range(rows + 1)]
    best, best_at = 0, (0, 0)
    for j in range(1, rows + 1):
        here, above = score[j], score[j - 1]
        key = b[j - 1]
        for i in range(1, width):
            value = above[i - 1] + (2 if a[i - 1] == key else -1)
            gap = max(above[i], here[i - 1]) - 1
            if gap > value:
                value = gap
            if value > 0:
                here[i] = value
                if value > best:
                    best, best_at = value, (j, i)
    pairs: dict[int, int] = {}
    j, i = best_at
    while j > 0 and i > 0 and score[j][i] > 0:
        value = score[j][i]
        if a[i - 1] == b[j - 1] and value == score[j - 1][i - 1] + 2:
            pairs[i - 1] = j - 1
            j, i = j - 1, i - 1
        elif value == score[j - 1][i - 1] - 1:
            j, i = j - 1, i - 1
        elif value == score[j - 1][i] - 1:
            j -= 1
        else:
            i -= 1
    return pairs


@dataclass
class _Lattice:
    tokens: list[str] = field(default_factory=list)
    preds: list[list[int]] = field(default_factory=list)
    """Each node's predecessors (-1: it may start a fragment)."""
    owner: list[tuple[int, int]] = field(default_factory=list)
    """(point, alternative) of each node; (-1, -1) for the document's fixed words."""
    telling: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    """(point, alternative): the words of that alternative no other alternative of the point has."""


def _lattice(original: str, points: Sequence[tuple[int, ChoicePoint]], start: int, end: int) -> _Lattice:
    lattice = _Lattice()
    frontier: list[int] = []

    def add(token: str, preds: list[int], owner: tuple[int, int]) -> int:
        lattice.tokens.append(token)
        lattice.preds.append(preds)
        lattice.owner.append(owner)
        return len(lattice.tokens) - 1

    pos = start
    for number, point in points:
        for token in tokens_of(original[pos : point.start]):
            frontier = [add(token, frontier, (-1, -1))]
        ends: list[int] = []
        spelled = [tokens_of(alternative) for alternative in point.alternatives]
        for pick, alternative in enumerate(point.alternatives):
            others = {token for k, words in enumerate(spelled) if k != pick for token in words}
            lattice.telling[(number, pick)] = frozenset(spelled[pick]) - others
            chain = frontier
            for token in tokens_of(alternative):
                chain = [add(token, chain, (number, pick))]
            ends.extend(chain)
        frontier = sorted(set(ends))
        pos = point.end
    for token in tokens_of(original[pos:end]):
        frontier = [add(token, frontier, (-1, -1))]
    return lattice


def one_typo_apart(a: str, b: str) -> bool:
    """Whether two different words of four letters or more differ by one typo: a letter wrong,
    missing or added, or two neighbours swapped."""
    if a == b or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1 or not (a.isalpha() and b.isalpha()):
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@cache
def _gain(expected: str, seen: str) -> float:
    if expected == seen:
        return MATCH
    return NEAR_MATCH if one_typo_apart(expected, seen) else MISMATCH


def _read_lattice(lattice: _Lattice, suspect: Sequence[str]) -> list[Observation]:
    """Align the suspect's tokens to the best path through the lattice (local alignment) and report,
    for each choice point the path crosses, the alternative taken when it was seen."""
    nodes = len(lattice.tokens)
    rows = len(suspect)
    if not nodes or not rows:
        return []
    minus = float("-inf")
    score = [[0.0] * nodes for _ in range(rows + 1)]
    back: list[list[tuple[int, int]]] = [[(0, -1)] * nodes for _ in range(rows + 1)]
    # back: (kind, previous node); kind 0 = start, 1 = diagonal, 2 = suspect token skipped, 3 = node skipped
    gaps = [PUNCTUATION_GAP if not t[0].isalnum() else GAP for t in lattice.tokens]
    best, best_at = 0.0, (0, -1)
    for j in range(1, rows + 1):
        here, above = score[j], score[j - 1]
        back_here = back[j]
        key = suspect[j - 1]
        for n in range(nodes):
            preds = lattice.preds[n]
            gain = _gain(lattice.tokens[n], key)
            value, how = gain, (0, -1)  # a fragment may start here
            for p in preds:
                candidate = above[p] + gain
                if candidate > value:
                    value, how = candidate, (1, p)
            skipped = above[n] - GAP
            if skipped > value:
                value, how = skipped, (2, n)
            for p in preds:
                candidate = here[p] - gaps[n]
                if candidate > value:
                    value, how = candidate, (3, p)
            if value <= 0:
                value, how = minus if False else 0.0, (0, -1)
            here[n] = value
            back_here[n] = how
            if value > best:
                best, best_at = value, (j, n)
    seen: dict[int, tuple[int, set[str], int]] = {}  # point -> (alternative, words seen, words on the path)
    j, n = best_at
    while j > 0 and n >= 0 and score[j][n] > 0:
        kind, previous = back[j][n]
        point, pick = lattice.owner[n]
        if kind in (0, 1, 3) and point >= 0:
            alternative, matched, total = seen.get(point, (pick, set(), 0))
            if alternative == pick:
                if kind != 3 and _gain(lattice.tokens[n], suspect[j - 1]) > 0:
                    matched.add(lattice.tokens[n])
                seen[point] = (pick, matched, total + 1)
        if kind == 0:
            break
        if kind == 1:
            j, n = j - 1, previous
        elif kind == 2:
            j -= 1
        else:
            n = previous
    return [
        Observation(point, alternative)
        for point, (alternative, matched, total) in sorted(seen.items())
        if _was_seen(lattice.telling[(point, alternative)], matched, total)
    ]


def _was_seen(telling: frozenset[str], matched: set[str], total: int) -> bool:
    """An alternative counts as read when a word only it has was seen (for one that adds nothing to
    another, "shows" beside "shows that", when all its words were), and at least half its words.
    Where only the words the alternatives share were seen the point is an erasure, not a guess."""
    if not matched or 2 * len(matched) < total:
        return False
    return bool(telling & matched) if telling else len(matched) >= total


def read(original: str, points: Sequence[ChoicePoint], suspect: str) -> list[Observation]:
    """Which alternative the suspect text shows at each choice point it still holds.

    The suspect is cut into paragraphs; each is located in the original (a local alignment of
    words, mistyped words first corrected to the nearest word of the original or its
    alternatives), then aligned to the best path through that stretch of the original in which
    every choice point branches into its alternatives. A point is read when the path goes through
    it and a word that tells its alternatives apart was seen (``_was_seen``).
    """
    if not points or not original.strip():
        return []
    spans = _spans(original)
    original_tokens = [fold(original[s:e]) for s, e in spans]
    vocabulary = set(original_tokens)
    for point in points:
        for alternative in point.alternatives:
            vocabulary.update(tokens_of(alternative))
    known = sorted(k for k in vocabulary if len(k) >= 3 and k[0].isalpha())
    found: dict[int, Observation] = {}
    for chunk in _CHUNK.split(suspect):
        chunk_tokens = _corrected(tokens_of(chunk), vocabulary, known)
        if len(chunk_tokens) < 3:
            continue
        located = local_alignment(original_tokens, chunk_tokens)
        if not located:
            continue
        start = max(0, spans[min(located)][0] - WINDOW_MARGIN)
        end = min(len(original), spans[max(located)][1] + WINDOW_MARGIN)
        inside = [(k, p) for k, p in enumerate(points) if p.start >= start and p.end <= end]
        lattice = _lattice(original, inside, start, end)
        for observation in _read_lattice(lattice, chunk_tokens):
            found.setdefault(observation.point, observation)
    return [found[k] for k in sorted(found)]


_CHUNK = re.compile(r"\n[ \t]*\n|\f")


# -- naming a download ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordingTrace:
    download_id: int | None
    """The download named, or None (no points read, or not sure enough)."""
    confidence: float
    best: int | None
    """The best-fitting candidate, named or not."""
    points: int
    """Choice points in the original."""
    read: int
    """Points read in the suspect text."""
    matches: int
    """Of those, how many the best candidate predicts."""
    as_original: int
    """Of those, how many read as the original's own wording."""
    expected_by_chance: float
    candidates: int


def tail_probability(probabilities: Sequence[float], at_least: int) -> float:
    """P(X >= at_least) for X a sum of independent Bernoulli(p_i) (exact, by dynamic programming)."""
    distribution = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(distribution) + 1)
        for k, mass in enumerate(distribution):
            nxt[k] += mass * (1 - p)
            nxt[k + 1] += mass * p
        distribution = nxt
    return min(1.0, sum(distribution[at_least:]))


def trace_wording(
    original: str,
    suspect: str,
    candidates: Sequence[int],
    language: Language | str | None = None,
    threshold: float = WORDING_THRESHOLD,
    points: Sequence[ChoicePoint] | None = None,
) -> WordingTrace:
    """Name the candidate download whose wording choices the suspect text shows, if any is sure enough.

    ``points`` overrides the original's choice points (an existing PDF carries only some of them)."""
    if points is None:
        lang = Language(language) if language else detect_language(original)
        points = choice_points(original, lang)
    observations = read(original, points, suspect)
    unique = sorted(set(candidates))
    if not observations or not unique:
        return WordingTrace(None, 0.0, None, len(points), len(observations), 0, 0, 0.0, len(unique))
    probabilities = [1 / len(points[o.point].alternatives) for o in observations]
    observed_points = [points[o.point] for o in observations]
    observed = np.array([o.alternative for o in observations], dtype=np.int64)
    matches = (choices_for(unique, observed_points) == observed[None, :]).sum(axis=1)
    winner = int(np.argmax(matches))
    best_id, best_matches = unique[winner], int(matches[winner])
    p_value = tail_probability(probabilities, best_matches)
    confidence = max(0.0, 1.0 - len(unique) * p_value)
    # the original's own wording is one more hypothesis: a text that reads as the original at least
    # as well as as anyone's copy (an unmarked document) never names anyone
    as_original = sum(o.alternative == points[o.point].original for o in observations)
    if best_matches <= as_original:
        confidence = 0.0
    named = best_id if confidence >= threshold else None
    return WordingTrace(
        download_id=named,
        confidence=confidence,
        best=best_id,
        points=len(points),
        read=len(observations),
        matches=best_matches,
        as_original=as_original,
        expected_by_chance=sum(probabilities),
        candidates=len(unique),
    )


def words_to_name(points: Sequence[ChoicePoint], words: int, candidates: int = 4096) -> int | None:
    """About how many words of a retyped passage name its recipient among ``candidates`` downloads.

    The evidence needed is ``log2(candidates) + log2(100)`` bits (the naming threshold) plus a margin
    of four bits for misread points; each point read gives ``log2(m)`` bits. None when the document
    has no choice points."""
    if not points or words <= 0:
        return None
    bits_per_point = sum(math.log2(len(p.alternatives)) for p in points) / len(points)
    needed = math.log2(max(2, candidates)) + math.log2(100) + 4
    return math.ceil(needed / bits_per_point * words / len(points))
