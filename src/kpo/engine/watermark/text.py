"""Fingerprints in plain text and Markdown that survive copy and paste.

Three channels carry the same 80-bit codeword (see ``code``), each many times over:

``zero-width``
    Before a word, a cluster of seven zero-width characters (U+200B, U+200C, U+200D, U+2060)
    holding a number below 512 in base 3, written differentially (each character differs from
    the one before it, so no tool that drops a repeated invisible glyph, as MuPDF's text
    extraction does, can shorten a cluster): 4 bits name which of the 16 five-bit chunks of the
    codeword this is, 5 bits carry it. Clusters take the chunks in turn, so any 16 consecutive
    words carry the whole codeword, and the index makes every cluster self-synchronising; 97 %
    of random seven-character runs are not valid clusters. Survives copy and paste,
    Unicode normalisation (NFKC), re-flowing and PDF text extraction; removed by any tool that
    strips zero-width characters (many sanitisers, some chat and CMS inputs).
``no-break-space``
    Each single space between two words of a line is either a normal space (0) or a no-break
    space U+00A0 (1). Survives zero-width stripping; removed by plain-text editors and
    sanitisers that normalise spaces (NFKC maps U+00A0 to a space), by re-flowing, and by
    Markdown/HTML renderers that collapse it.
``homoglyph``
    Each lower-case a c e o p x y i s j in an ordinary Latin word is either the Latin letter (0)
    or its Cyrillic twin (1: U+0430 U+0441 U+0435 U+043E U+0440 U+0445 U+0443 U+0456 U+0455
    U+0458), which looks the same in common fonts. Survives
    everything above, including NFKC, whitespace collapsing and zero-width stripping; removed
    only by retyping, OCR, or a deliberate confusables ("skeleton") normaliser. Its cost: a
    search for a word inside the marked copy may miss, and a spell checker may flag it. So it is
    opt-in (``LOOK_ALIKE_CHANNELS``, for restricted material); a copy carries ``DEFAULT_CHANNELS``
    unless asked, while the reader always reads all three (copies made before still trace).

The no-break-space and homoglyph channels number their bits by the running count of homoglyph
slots (a letter that could carry a bit), so a fragment needs no marker: the decoder tries all 80
alignments and Reed-Solomon plus the confidence bound pick the one that fits (the alignment
search is paid for in the confidence). Each paragraph of ~300 characters holds ~110 homoglyph
slots, ~50 spaces and ~50 clusters, so it carries the whole codeword on its own several times.

Never touched: fenced and indented code blocks, code spans, URLs, e-mail addresses, link
destinations, HTML, tables, reference definitions and the markers at the start of a Markdown
line (headings, list bullets and numbers, quotes, task boxes); only whole ordinary words get
homoglyphs, and zero-width clusters go only before a word that starts with a letter or digit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kpo.engine.watermark.code import (
    CODE_BITS,
    DEFAULT_THRESHOLD,
    Channel,
    Decoded,
    Votes,
    best,
    candidate,
    codeword_bits,
    score,
)

ZW_DIGITS = ("\u200b", "\u200c", "\u200d", "\u2060")
CLUSTER_LEN = 7
CHUNK_BITS = 5
CHUNKS = CODE_BITS // CHUNK_BITS
NBSP = "\u00a0"
HOMOGLYPHS: dict[str, str] = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "s": "\u0455",
    "j": "\u0458",
}
LATIN_OF: dict[str, str] = {cyr: lat for lat, cyr in HOMOGLYPHS.items()}
B_SHIFT = CODE_BITS // 2
"""No-break-space bits sit half a codeword away from the homoglyph bits around them."""

ALL_CHANNELS: frozenset[Channel] = frozenset({Channel.ZERO_WIDTH, Channel.NO_BREAK_SPACE, Channel.HOMOGLYPH})
DEFAULT_CHANNELS: frozenset[Channel] = frozenset({Channel.ZERO_WIDTH, Channel.NO_BREAK_SPACE})
"""What a copy carries by default: no look-alike letters, so it searches, spell-checks and pastes as typed."""
LOOK_ALIKE_CHANNELS: frozenset[Channel] = ALL_CHANNELS
"""Opt-in for the most sensitive material: look-alike letters survive what strips the other two."""


def channels_for(look_alikes: bool) -> frozenset[Channel]:
    return LOOK_ALIKE_CHANNELS if look_alikes else DEFAULT_CHANNELS


_ZW_SET = frozenset(ZW_DIGITS)
_INVISIBLE = _ZW_SET | {"\ufeff", "\u200e", "\u200f", "\u180e"}
_ZW_RUN = re.compile("[" + "".join(ZW_DIGITS) + "]+")
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_LINE_PREFIX = re.compile(
    r"[ \t]{0,3}(?:>[ \t]?)*(?:#{1,6}[ \t]|[-*+][ \t]+(?:\[[ xX]\][ \t])?|\d{1,9}[.)][ \t])?"
)
_REFDEF = re.compile(r" {0,3}\[[^\]]+\]:")
_RULE = re.compile(r" {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_INLINE_PROTECTED = (
    re.compile(r"(`+).+?\1"),  # code spans
    re.compile(r"(?:https?|ftp|file)://\S+|www\.\S+|mailto:\S+", re.IGNORECASE),  # URLs
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]"),  # link destinations and references
    re.compile(r"<[^<>\n]+>"),  # HTML tags, autolinks
    re.compile(r"\$\$?[^$\n]+\$\$?"),  # inline maths
    re.compile(r"\{\{?[^{}\n]*\}\}?"),  # template placeholders
)


# -- analysis shared by the embedder and the reader ----------------------------------------------


def _protected_mask(text: str) -> bytearray:
    """1 for every character that must never change (Markdown syntax, code, links)."""
    mask = bytearray(len(text))

    def protect(start: int, end: int) -> None:
        mask[start:end] = b"\x01" * (end - start)

    pos = 0
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        body = line.rstrip("\r\n")
        opened = _FENCE_OPEN.match(body)
        if fence is not None:
            protect(start, end)
            closing = opened is not None and not body[opened.end() :].strip()
            if closing and opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            protect(start, end)
            continue
        stripped = body.strip()
        if (
            body.startswith(("    ", "\t"))
            or "|" in body
            or stripped.startswith("<")
            or _REFDEF.match(body)
            or _RULE.match(body)
        ):
            protect(start, end)
            continue
        prefix = _LINE_PREFIX.match(body)
        if prefix and prefix.end():
            protect(start, start + prefix.end())
    for pattern in _INLINE_PROTECTED:
        for match in pattern.finditer(text):
            protect(match.start(), match.end())
    return mask


def _word_slots(text: str, start: int, end: int) -> list[int]:
    """Positions of the homoglyph slots of one token, or [] when it is no ordinary Latin word."""
    chars = [(k, LATIN_OF.get(text[k], text[k])) for k in range(start, end) if text[k] not in _INVISIBLE]
    first = next((i for i, (_, c) in enumerate(chars) if c.isalpha()), None)
    if first is None:
        return []
    last = max(i for i, (_, c) in enumerate(chars) if c.isalpha())
    core = chars[first : last + 1]
    skeleton = "".join(c for _, c in core)
    if not _WORD.fullmatch(skeleton):
        return []
    letters = [c for c in skeleton if c.isalpha()]
    if any(ord(c) >= 0x250 for c in letters):
        return []  # not (only) Latin script: leave it alone
    if all(c in HOMOGLYPHS for c in letters):
        return []  # needs one letter that never changes, so a Cyrillic word never reads as marked
    return [k for k, c in core if c in HOMOGLYPHS]


@dataclass
class _Layout:
    slots: list[tuple[int, int]] = field(default_factory=list)
    """(position, index) of each homoglyph slot; index counts slots from the start of the text."""
    gaps: list[tuple[int, int, int, bool]] = field(default_factory=list)
    """(start, end, index, mid-line single space) of each gap between two unprotected words."""
    sites: list[int] = field(default_factory=list)
    """Positions before which a zero-width cluster may go."""


def _layout(text: str) -> _Layout:
    mask = _protected_mask(text)
    layout = _Layout()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    count = 0  # homoglyph slots so far
    since = 0  # gaps since the last homoglyph slot
    previous_ok = False
    previous_end = 0
    for start, end in tokens:
        ok = not any(mask[start:end])
        if ok and previous_ok and not any(mask[previous_end:start]):
            gap = text[previous_end:start]
            layout.gaps.append((previous_end, start, count + B_SHIFT + since, gap in (" ", NBSP)))
            since += 1
            first = next((c for c in text[start:end] if c not in _INVISIBLE), "")
            if first.isalnum():
                layout.sites.append(start)
        if ok:
            for position in _word_slots(text, start, end):
                layout.slots.append((position, count))
                count += 1
                since = 0
        previous_ok, previous_end = ok, end
    return layout


def strip_clusters(text: str) -> str:
    """Remove earlier zero-width clusters (so a marked text can be re-marked)."""
    return _ZW_RUN.sub(lambda m: "" if len(m.group()) == CLUSTER_LEN else m.group(), text)


# -- embedding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str


def _cluster(index: int, chunk: int) -> str:
    """Seven zero-width characters for ``index * 32 + chunk``, no two neighbours alike."""
    value = (index << CHUNK_BITS) | chunk
    trits = []
    for _ in range(CLUSTER_LEN):
        value, trit = divmod(value, 3)
        trits.append(trit)
    symbols = []
    previous = 0
    for trit in reversed(trits):
        previous = (previous + 1 + trit) % 4
        symbols.append(ZW_DIGITS[previous])
    return "".join(symbols)


def _uncluster(run: str) -> tuple[int, int] | None:
    """(index, chunk) of a valid cluster, or None."""
    value = 0
    previous = 0
    for char in run:
        symbol = ZW_DIGITS.index(char)
        trit = (symbol - previous - 1) % 4
        if trit == 3:
            return None
        value = value * 3 + trit
        previous = symbol
    index, chunk = divmod(value, 1 << CHUNK_BITS)
    return (index, chunk) if index < CHUNKS else None


def plan(text: str, download_id: int, channels: Iterable[Channel] = ALL_CHANNELS) -> list[Edit]:
    """The edits that fingerprint ``text`` (which must hold no zero-width clusters), in order."""
    wanted = frozenset(channels)
    bits = codeword_bits(download_id)
    layout = _layout(text)
    edits: list[Edit] = []
    if Channel.HOMOGLYPH in wanted:
        for position, index in layout.slots:
            latin = LATIN_OF.get(text[position], text[position])
            new = HOMOGLYPHS[latin] if bits[index % CODE_BITS] else latin
            if new != text[position]:
                edits.append(Edit(position, position + 1, new))
    if Channel.NO_BREAK_SPACE in wanted:
        for start, end, index, single in layout.gaps:
            if single:
                new = NBSP if bits[index % CODE_BITS] else " "
                if new != text[start:end]:
                    edits.append(Edit(start, end, new))
    if Channel.ZERO_WIDTH in wanted:
        for n, position in enumerate(layout.sites):
            index = n % CHUNKS
            chunk = 0
            for bit in bits[index * CHUNK_BITS : (index + 1) * CHUNK_BITS]:
                chunk = (chunk << 1) | bit
            edits.append(Edit(position, position, _cluster(index, chunk)))
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


def apply(text: str, edits: Sequence[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for edit in edits:
        out.append(text[pos : edit.start])
        out.append(edit.new)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def embed(text: str, download_id: int, channels: Iterable[Channel] = ALL_CHANNELS) -> str:
    """``text`` with the fingerprint of ``download_id`` in every paragraph; visibly unchanged."""
    clean = strip_clusters(text)
    return apply(clean, plan(clean, download_id, channels))


def footer_line(recipient: str, issued_on: date) -> str:
    """The visible line: "Confidential — prepared for <name> — <YYYY-MM-DD>"."""
    name = " ".join(recipient.split()) or "unnamed recipient"
    return f"Confidential \u2014 prepared for {name} \u2014 {issued_on.isoformat()}"


def watermark_text(
    text: str,
    download_id: int,
    recipient: str,
    issued_on: date,
    channels: Iterable[Channel] = DEFAULT_CHANNELS,
    wording: str | None = None,
) -> str:
    """A per-recipient copy of plain text or Markdown: visible footer + fingerprint throughout.

    ``wording`` (a language code) first varies the wording (``wording.vary``: survives retyping)."""
    if wording:
        from kpo.engine.watermark.wording import vary

        text = vary(text, download_id, wording)
    body = text.rstrip("\n")
    return embed(f"{body}\n\n---\n\n{footer_line(recipient, issued_on)}\n", download_id, channels)


def normalise(text: str) -> str:
    """The visible text: fingerprint characters removed or mapped back (for comparisons)."""
    out = [LATIN_OF.get(c, " " if c == NBSP else c) for c in text if c not in _ZW_SET]
    return "".join(out)


# -- reading -------------------------------------------------------------------------------------


@dataclass
class Reading:
    """What the channels of one text say, before decoding."""

    zero_width: Votes = field(default_factory=Votes)
    """Votes at absolute bit positions."""
    spaces: Votes = field(default_factory=Votes)
    """Votes at positions relative to the first homoglyph slot of the text."""
    homoglyphs: Votes = field(default_factory=Votes)
    clusters: int = 0
    nbsp: int = 0
    plain_spaces: int = 0
    cyrillic: int = 0

    @property
    def nbsp_marked(self) -> bool:
        """Whether the no-break spaces look like a fingerprint (about half of all word gaps).

        Typeset text has a few of its own ("12 %", "Nr. 7"); those are not a fingerprint.
        """
        return self.nbsp >= 4 and self.nbsp >= 0.2 * (self.nbsp + self.plain_spaces)

    @property
    def channels(self) -> tuple[Channel, ...]:
        found = []
        if self.clusters:
            found.append(Channel.ZERO_WIDTH)
        if self.nbsp_marked:
            found.append(Channel.NO_BREAK_SPACE)
        if self.cyrillic:
            found.append(Channel.HOMOGLYPH)
        return tuple(found)


def read(text: str) -> Reading:
    reading = Reading()
    for match in _ZW_RUN.finditer(text):
        run = match.group()
        if len(run) != CLUSTER_LEN:
            continue
        found = _uncluster(run)
        if found is None:
            continue
        index, chunk = found
        reading.clusters += 1
        for k in range(CHUNK_BITS):
            reading.zero_width.add(index * CHUNK_BITS + k, (chunk >> (CHUNK_BITS - 1 - k)) & 1)
    layout = _layout(text)
    for position, index in layout.slots:
        bit = int(text[position] in LATIN_OF)
        reading.cyrillic += bit
        reading.homoglyphs.add(index, bit)
    for start, end, index, _single in layout.gaps:
        gap = text[start:end]
        if gap == " ":
            reading.plain_spaces += 1
            reading.spaces.add(index, 0)
        elif gap == NBSP:
            reading.nbsp += 1
            reading.spaces.add(index, 1)
    return reading


@dataclass(frozen=True)
class TextDecode:
    result: Decoded | None
    """The best decode (possibly below the threshold), or None."""
    channels: tuple[Channel, ...]
    """Channels with any mark in the text (even if they did not decode)."""


def decode_reading(reading: Reading, hypotheses: int = 1) -> Decoded | None:
    """Decode one reading: every alignment of the relative channels, scored with the bound."""
    relative = Votes()
    if reading.nbsp_marked:
        relative.add_all(reading.spaces)
    if reading.cyrillic:
        relative.add_all(reading.homoglyphs)
    absolute = reading.zero_width
    if not relative.total and not absolute.total:
        return None
    found: set[int] = set()
    if absolute.total:
        direct = candidate(absolute)
        if direct is not None:
            found.add(direct)
    if relative.total:
        for shift in range(CODE_BITS):
            alone = Votes()
            alone.add_all(relative, shift)
            for votes in (alone, _joined(absolute, relative, shift)) if absolute.total else (alone,):
                guess = candidate(votes)
                if guess is not None:
                    found.add(guess)
        hypotheses *= CODE_BITS
    results: list[Decoded | None] = []
    for download_id in found:
        votes = absolute.copy()
        if relative.total:
            bits = codeword_bits(download_id)
            shift = max(range(CODE_BITS), key=lambda s: relative.agreement(bits, s))
            votes.add_all(relative, shift)
        results.append(score(download_id, votes, hypotheses))
    return best(results)


def _joined(absolute: Votes, relative: Votes, shift: int) -> Votes:
    votes = absolute.copy()
    votes.add_all(relative, shift)
    return votes


def _blocks(text: str) -> list[str]:
    parts = [p for p in re.split(r"\n[ \t\u00a0]*\n|\f", text) if p.strip()]
    return parts if len(parts) > 1 else []


def _lines(text: str) -> list[str]:
    lines = text.splitlines()
    return [line for line in lines if len(line) >= 120] if len(lines) > 1 else []


_MAX_PARTS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_WINDOW = 160


def _sentence_windows(text: str) -> list[str]:
    """Runs of whole sentences of at least ~160 characters (an edit elsewhere cannot hurt them)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return []
    windows: list[str] = []
    seen: set[str] = set()
    for i in range(len(sentences)):
        window = sentences[i]
        j = i + 1
        while len(normalise(window)) < _WINDOW and j < len(sentences):
            window = f"{window} {sentences[j]}"
            j += 1
        if len(normalise(window)) >= _WINDOW and window not in seen:
            seen.add(window)
            windows.append(window)
        if j >= len(sentences) or len(windows) > _MAX_PARTS:
            break  # more windows than the decoder tries are never tried: stop counting
    return windows if len(windows) > 1 else []


def decode(text: str, threshold: float = DEFAULT_THRESHOLD) -> TextDecode:
    """Decode pasted or extracted text.

    The whole text is tried first. A text that mixes marked and unmarked parts (an extracted PDF
    page with an invisible notice, a leak with the leaker's own words around it), or whose slot
    count was broken by an edit (a word deleted or retyped), is then tried by paragraph, by long
    line and by runs of whole sentences, each with its own alignment; the extra tries are paid
    for in the confidence.
    """
    reading = read(text)
    channels = reading.channels
    if not channels:
        return TextDecode(None, ())
    whole = decode_reading(reading)
    if whole is not None and whole.confidence >= threshold:
        return TextDecode(whole, channels)
    results: list[Decoded | None] = [whole]
    tries = 1
    for split in (_blocks, _lines, _sentence_windows):
        parts = split(text)
        if not parts or len(parts) > _MAX_PARTS:
            continue  # fallbacks are for fragments and pages, not for searching a whole book
        tries += len(parts)
        for part in parts:
            part_reading = read(part)
            if part_reading.channels:
                results.append(decode_reading(part_reading, hypotheses=tries))
        chosen = best(results)
        if chosen is not None and chosen.confidence >= threshold:
            return TextDecode(chosen, channels)
    return TextDecode(best(results), channels)
