"""A tamper-evident, append-only audit trail as a SHA-256 hash chain (pure functions).

Entry ``n`` stores ``hash_n = SHA-256(canonical(hash_{n-1}, fields_n))``, where the canonical
form is compact, sorted-key JSON (UTF-8, no NaN) of ``{"fields": ..., "prev": ...}``; the first
entry links to ``GENESIS_HASH``. Sequence numbers must run 1, 2, 3, ... without gaps. Changing
any field, deleting, inserting or reordering stored entries therefore breaks the chain at the
first entry touched (a gap in the numbers, or a hash that does not match), and ``verify`` names
it.

What a chain alone cannot show: an attacker who rewrites entry ``k`` *and recomputes every later
hash*, or who cuts entries off the end. Both are caught by comparing with an anchor kept
elsewhere (the head hash sent to the auditor, printed in a report, or stored in a second
database): pass such anchors to ``verify``.

Field values must be JSON values (str, int, float, bool, None, lists, dicts with str keys);
callers turn datetimes and decimals into strings first, so the hash never depends on a locale
or a clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``prev`` of the first entry."""
FIRST_SEQ = 1


def canonical(prev_hash: str, fields: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed for one entry. Raises TypeError/ValueError for non-JSON fields."""
    return json.dumps(
        {"fields": dict(fields), "prev": prev_hash},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of an entry, linking it to the previous entry's hash."""
    return hashlib.sha256(canonical(prev_hash, fields)).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    fields: Mapping[str, Any]
    stored_hash: str


def append(chain: Sequence[Entry], fields: Mapping[str, Any]) -> Entry:
    """The next entry for ``chain`` (which the caller has already verified or trusts)."""
    if chain:
        last = chain[-1]
        seq, prev = last.seq + 1, last.stored_hash
    else:
        seq, prev = FIRST_SEQ, GENESIS_HASH
    return Entry(seq=seq, fields=dict(fields), stored_hash=entry_hash(prev, fields))


def build(all_fields: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """A whole chain from field mappings, in order (for tests and imports)."""
    chain: list[Entry] = []
    for fields in all_fields:
        chain.append(append(chain, fields))
    return chain


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    first_bad_seq: int | None
    """The first sequence number at which the chain is broken (missing, moved or altered)."""
    reason: str
    checked: int
    """Entries that verified before the first break (all of them when ok)."""
    head_hash: str
    """Hash of the last good entry (GENESIS_HASH when none): the value to keep as an anchor."""


def verify(
    entries: Sequence[Entry | tuple[int, Mapping[str, Any], str]],
    *,
    anchors: Mapping[int, str] | None = None,
    expected_count: int | None = None,
    first_seq: int = FIRST_SEQ,
    prev_hash: str = GENESIS_HASH,
) -> VerifyResult:
    """Check entries in their stored order; name the first bad one.

    ``entries`` are ``Entry`` objects or ``(seq, fields, stored_hash)`` tuples, in the order the
    store returns them (append order). ``anchors`` maps sequence numbers to hashes known from
    elsewhere; ``expected_count`` is the number of entries known to exist (catches truncation).
    ``first_seq``/``prev_hash`` let a caller verify a tail starting from a trusted checkpoint.
    """
    rows = [e if isinstance(e, Entry) else Entry(seq=e[0], fields=e[1], stored_hash=e[2]) for e in entries]
    seen_seqs = {row.seq for row in rows}
    expected = first_seq
    prev = prev_hash
    known = dict(anchors or {})

    def broken(reason: str, at: int) -> VerifyResult:
        return VerifyResult(
            ok=False, first_bad_seq=at, reason=reason, checked=expected - first_seq, head_hash=prev
        )

    for position, row in enumerate(rows):
        if row.seq != expected:
            if row.seq < expected:
                reason = f"entry {row.seq} appears again after entry {expected - 1} (inserted or moved)"
            elif expected in seen_seqs:
                reason = f"entry {expected} is out of order: entry {row.seq} is stored in its place"
            else:
                missing = f"{expected}" if row.seq == expected + 1 else f"{expected}-{row.seq - 1}"
                reason = f"entry {missing} is missing (deleted) before entry {row.seq}"
            return broken(reason, expected)
        try:
            computed = entry_hash(prev, row.fields)
        except (TypeError, ValueError) as exc:
            return broken(f"entry {row.seq} has fields that are not JSON values: {exc}", row.seq)
        if computed != row.stored_hash:
            if position and _links_elsewhere(row, rows[:position]):
                reason = (
                    f"entry {row.seq} is intact but was chained after a different entry: "
                    "entries were moved or renumbered"
                )
            else:
                reason = (
                    f"entry {row.seq} does not match its hash: it was altered, or an entry "
                    "before it was deleted, inserted or replaced"
                )
            return broken(reason, row.seq)
        anchor = known.get(row.seq)
        if anchor is not None and anchor != row.stored_hash:
            return broken(
                f"entry {row.seq} differs from its anchored hash: the chain was rewritten here or before",
                row.seq,
            )
        prev = row.stored_hash
        expected += 1
    last_seq = expected - 1
    for seq in sorted(known):
        if seq > last_seq:
            return broken(
                f"entry {seq} is anchored but missing: the log was cut off after {last_seq}", last_seq + 1
            )
    if expected_count is not None and expected - first_seq < expected_count:
        return broken(
            f"{expected_count} entries expected, {expected - first_seq} found: the log was cut off",
            expected,
        )
    return VerifyResult(
        ok=True,
        first_bad_seq=None,
        reason=f"{expected - first_seq} entries verified",
        checked=expected - first_seq,
        head_hash=prev,
    )


def _links_elsewhere(row: Entry, earlier: Sequence[Entry]) -> bool:
    """Whether the entry is intact but was hashed after some other (earlier) entry's hash."""
    candidates = [GENESIS_HASH, *(e.stored_hash for e in earlier)]
    for prev in candidates:
        try:
            if entry_hash(prev, row.fields) == row.stored_hash:
                return True
        except (TypeError, ValueError):
            return False
    return False
