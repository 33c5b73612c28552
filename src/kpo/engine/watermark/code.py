"""Recipient codes: a download id as an error-corrected, whitened codeword, and its voting decoder.

A download id (32 bits) is Reed-Solomon encoded over GF(256) with 6 parity bytes (RS(10, 4): up
to 3 wrong bytes, or 6 missing bytes, or any mix with ``2 * errors + erasures <= 6`` are repaired)
and then XOR-ed with a fixed whitening pattern, so that every id (including 0) looks like noise in
the text and an unmarked text never reads as a codeword. The 80 resulting bits are what the text
channels carry, each bit many times over; the decoder collects *votes* per bit position from every
channel, takes the majority, marks undecided bytes as erasures and lets Reed-Solomon finish.

Confidence is a union bound on the chance that noise explains the evidence: with ``n`` decided
bits of which ``d`` disagree with the decoded codeword, and ``h`` hypotheses tried (2**32 ids times
the alignments and text segments searched), ``p = h * P(Binomial(n, 1/2) <= d)`` and
``confidence = 1 - p`` (clamped to [0, 1]). A clean paragraph gives n = 80, d = 0 and a confidence
of 1 - 1e-12; a decode that Reed-Solomon only just managed, or one from a handful of bits, gets a
confidence near zero, so a threshold of 0.99 never turns a guess into a name.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import reedsolo

ID_BITS = 32
MAX_ID = (1 << ID_BITS) - 1
DATA_BYTES = ID_BITS // 8
PARITY_BYTES = 6
CODE_BYTES = DATA_BYTES + PARITY_BYTES
CODE_BITS = CODE_BYTES * 8
DEFAULT_THRESHOLD = 0.99
"""A decode below this confidence is reported as "fingerprint found, not decodable"."""

TAG_PREFIX = "kpo1-"
_TAG_RE = re.compile(r"kpo1-([a-z2-7]{16})", re.IGNORECASE)

_RS = reedsolo.RSCodec(PARITY_BYTES)


def _whitening() -> tuple[int, ...]:
    digest = hashlib.sha256(b"kpo watermark whitening v1").digest()
    return tuple((digest[i // 8] >> (7 - i % 8)) & 1 for i in range(CODE_BITS))


WHITENING: tuple[int, ...] = _whitening()


class BadDownloadId(ValueError):
    pass


def _check_id(download_id: int) -> None:
    if isinstance(download_id, bool) or not isinstance(download_id, int):
        raise BadDownloadId(f"download id must be an int, not {type(download_id).__name__}")
    if not 0 <= download_id <= MAX_ID:
        raise BadDownloadId(f"download id must be between 0 and {MAX_ID}, not {download_id}")


def _rs_encode(data: bytes) -> bytes:
    encoded: bytearray = _RS.encode(bytearray(data))
    return bytes(encoded)


def _rs_decode(data: Sequence[int], erasures: Sequence[int]) -> tuple[bytes, bytes] | None:
    """Repair a received codeword; (message, repaired codeword) or None when it cannot."""
    try:
        result = _RS.decode(bytearray(data), erase_pos=list(erasures) or None)
    except reedsolo.ReedSolomonError:
        return None
    message: bytearray = result[0]
    full: bytearray = result[1]
    return bytes(message), bytes(full)


def encode(download_id: int) -> bytes:
    """The Reed-Solomon codeword (not whitened) for one download id: 10 bytes."""
    _check_id(download_id)
    return _rs_encode(download_id.to_bytes(DATA_BYTES, "big"))


def bytes_to_bits(data: bytes) -> tuple[int, ...]:
    return tuple((byte >> (7 - i)) & 1 for byte in data for i in range(8))


def bits_to_bytes(bits: Sequence[int]) -> bytes:
    out = bytearray()
    for start in range(0, len(bits), 8):
        value = 0
        for bit in bits[start : start + 8]:
            value = (value << 1) | (bit & 1)
        out.append(value)
    return bytes(out)


def codeword_bits(download_id: int) -> tuple[int, ...]:
    """The 80 whitened bits that the text channels carry for one download id."""
    return tuple(b ^ w for b, w in zip(bytes_to_bits(encode(download_id)), WHITENING, strict=True))


class Votes:
    """Weighted votes for each of the 80 codeword bits (whitened domain)."""

    __slots__ = ("ones", "zeros")

    def __init__(self) -> None:
        self.ones = [0] * CODE_BITS
        self.zeros = [0] * CODE_BITS

    def add(self, index: int, bit: int, weight: int = 1) -> None:
        if bit:
            self.ones[index % CODE_BITS] += weight
        else:
            self.zeros[index % CODE_BITS] += weight

    def add_all(self, other: Votes, shift: int = 0) -> None:
        """Add another tally whose index ``i`` means codeword bit ``i + shift``."""
        for i in range(CODE_BITS):
            j = (i + shift) % CODE_BITS
            self.ones[j] += other.ones[i]
            self.zeros[j] += other.zeros[i]

    def copy(self) -> Votes:
        new = Votes()
        new.ones = list(self.ones)
        new.zeros = list(self.zeros)
        return new

    @property
    def total(self) -> int:
        return sum(self.ones) + sum(self.zeros)

    def majority(self) -> list[int | None]:
        return [1 if o > z else 0 if z > o else None for o, z in zip(self.ones, self.zeros, strict=True)]

    def agreement(self, bits: Sequence[int], shift: int = 0) -> int:
        """Votes that agree with ``bits`` when this tally's index i means bit i + shift."""
        agree = 0
        for i in range(CODE_BITS):
            agree += self.ones[i] if bits[(i + shift) % CODE_BITS] else self.zeros[i]
        return agree


@dataclass(frozen=True)
class Decoded:
    download_id: int
    confidence: float
    decided_bits: int
    """Codeword bits with a majority (out of 80)."""
    disagreeing_bits: int
    """Decided bits whose majority differs from the decoded codeword (repaired by Reed-Solomon)."""
    votes: int
    """Observations that took part."""


def log2_binom_cdf(d: int, n: int) -> float:
    """log2 P(Binomial(n, 1/2) <= d)."""
    if n <= 0 or d >= n:
        return 0.0
    total = sum(math.comb(n, i) for i in range(d + 1))
    return math.log2(total) - n


def confidence(decided: int, disagreeing: int, hypotheses: int = 1) -> float:
    """1 minus a union bound on the chance that noise agrees this well with some codeword."""
    log2_p = ID_BITS + math.log2(max(1, hypotheses)) + log2_binom_cdf(disagreeing, decided)
    if log2_p >= 0:
        return 0.0
    return 1.0 - math.exp2(log2_p)


def score(download_id: int, votes: Votes, hypotheses: int = 1) -> Decoded:
    """How well a tally supports one download id."""
    bits = codeword_bits(download_id)
    decided = disagree = 0
    for bit, majority in zip(bits, votes.majority(), strict=True):
        if majority is None:
            continue
        decided += 1
        disagree += majority != bit
    return Decoded(
        download_id=download_id,
        confidence=confidence(decided, disagree, hypotheses),
        decided_bits=decided,
        disagreeing_bits=disagree,
        votes=votes.total,
    )


def candidate(votes: Votes) -> int | None:
    """The download id Reed-Solomon repairs the majority vote to, or None."""
    majority = votes.majority()
    received = bytearray()
    erasures: list[int] = []
    for byte_index in range(CODE_BYTES):
        value = 0
        erased = False
        for k in range(8):
            i = byte_index * 8 + k
            bit = majority[i]
            if bit is None:
                erased = True
                bit = 0
            value = (value << 1) | (bit ^ WHITENING[i])
        received.append(value)
        if erased:
            erasures.append(byte_index)
    if len(erasures) > PARITY_BYTES:
        return None
    repaired = _rs_decode(received, erasures)
    if repaired is None:
        return None
    return int.from_bytes(repaired[0], "big")


def decode(votes: Votes, hypotheses: int = 1) -> Decoded | None:
    """Decode one tally; None when it carries no votes or cannot be repaired (never a guess).

    A result below ``DEFAULT_THRESHOLD`` confidence is still returned, for the caller to report as
    "found but not decodable"; callers must not name a recipient from it.
    """
    if votes.total == 0:
        return None
    found = candidate(votes)
    if found is None:
        return None
    return score(found, votes, hypotheses)


def best(results: Iterable[Decoded | None]) -> Decoded | None:
    chosen: Decoded | None = None
    for result in results:
        if result is None:
            continue
        if chosen is None or (result.confidence, result.decided_bits - result.disagreeing_bits) > (
            chosen.confidence,
            chosen.decided_bits - chosen.disagreeing_bits,
        ):
            chosen = result
    return chosen


# -- metadata tags -------------------------------------------------------------------------------


def tag(download_id: int) -> str:
    """The metadata form of a code: ``kpo1-`` and the codeword in base32 (16 characters)."""
    return TAG_PREFIX + base64.b32encode(encode(download_id)).decode("ascii").lower()


def parse_tag(text: str) -> Decoded | None:
    """Find and decode a metadata tag anywhere in ``text``; None when there is none that decodes."""
    for match in _TAG_RE.finditer(text):
        raw = base64.b32decode(match.group(1).upper())
        repaired = _rs_decode(raw, [])
        if repaired is None:
            continue
        download_id = int.from_bytes(repaired[0], "big")
        wrong = sum(a != b for a, b in zip(raw, repaired[1], strict=True))
        # each wrong byte leaves its 8 bits undecided for the confidence bound
        return Decoded(
            download_id=download_id,
            confidence=confidence(CODE_BITS - 8 * wrong, 0),
            decided_bits=CODE_BITS - 8 * wrong,
            disagreeing_bits=0,
            votes=CODE_BITS,
        )
    return None


class Channel(StrEnum):
    """Where a fingerprint was found."""

    METADATA = "metadata"
    ZERO_WIDTH = "zero-width"
    NO_BREAK_SPACE = "no-break-space"
    HOMOGLYPH = "homoglyph"
    WORDING = "wording"
