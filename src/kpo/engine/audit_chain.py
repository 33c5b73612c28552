"""A tamper-evident, append-only audit trail as a hash chain (pure functions).

Entry ``n`` stores ``hash_n = HMAC-SHA256(key, canonical(hash_{n-1}, fields_n))`` (a *keyed*
entry), or, for entries written before the installation had a key, the plain
``SHA-256(canonical(hash_{n-1}, fields_n))``. The canonical form is compact, sorted-key JSON
(UTF-8, no NaN) of ``{"fields": ..., "prev": ...}``; the first entry links to ``GENESIS_HASH``.
Once an entry is keyed every later one must be too, and ``sealed_from`` (known from a signed
checkpoint) names the first sequence number that must be keyed, so an attacker without the key
can neither recompute keyed hashes nor pass rewritten entries off as old plain ones.

Sequence numbers must run 1, 2, 3, ... without gaps. Changing any field, deleting, inserting or
reordering stored entries therefore breaks the chain at the first entry touched (a gap in the
numbers, or a hash that does not match), and ``verify`` names it.

What a chain alone cannot show: an attacker holding the key who rewrites entry ``k`` *and
recomputes every later hash*, or anyone who cuts entries off the end. Both are caught by comparing
with an anchor kept elsewhere (a signed checkpoint, the head hash sent to the auditor, printed in a
report): pass such anchors to ``verify``.

Field values must be JSON values (str, int, float, bool, None, lists, dicts with str keys);
callers turn datetimes and decimals into strings first, so the hash never depends on a locale
or a clock.
"""

from __future__ import annotations

import hashlib
import hmac
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


def entry_hash(prev_hash: str, fields: Mapping[str, Any], key: bytes | None = None) -> str:
    """The hex hash of an entry, linking it to the previous entry's hash: HMAC-SHA256 with ``key``,
    plain SHA-256 without one (entries written before the installation had a key)."""
    data = canonical(prev_hash, fields)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    fields: Mapping[str, Any]
    stored_hash: str
    keyed: bool = False


def append(chain: Sequence[Entry], fields: Mapping[str, Any], key: bytes | None = None) -> Entry:
    """The next entry for ``chain`` (which the caller has already verified or trusts)."""
    if chain:
        last = chain[-1]
        seq, prev = last.seq + 1, last.stored_hash
    else:
        seq, prev = FIRST_SEQ, GENESIS_HASH
    return Entry(
        seq=seq, fields=dict(fields), stored_hash=entry_hash(prev, fields, key), keyed=key is not None
    )


def build(all_fields: Sequence[Mapping[str, Any]], key: bytes | None = None) -> list[Entry]:
    """A whole chain from field mappings, in order (for tests and imports)."""
    chain: list[Entry] = []
    for fields in all_fields:
        chain.append(append(chain, fields, key))
    return chain


EntryLike = Entry | tuple[int, Mapping[str, Any], str] | tuple[int, Mapping[str, Any], str, bool]
"""An entry, or ``(seq, fields, stored_hash)`` (plain) or ``(seq, fields, stored_hash, keyed)``."""


def _as_entry(row: EntryLike) -> Entry:
    if isinstance(row, Entry):
        return row
    keyed = bool(row[3]) if len(row) > 3 else False
    return Entry(seq=row[0], fields=row[1], stored_hash=row[2], keyed=keyed)


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
    entries: Sequence[EntryLike],
    *,
    anchors: Mapping[int, str] | None = None,
    expected_count: int | None = None,
    first_seq: int = FIRST_SEQ,
    prev_hash: str = GENESIS_HASH,
    key: bytes | None = None,
    sealed_from: int | None = None,
) -> VerifyResult:
    """Check entries in their stored order; name the first bad one.

    ``entries`` are ``Entry`` objects or tuples (see ``EntryLike``), in the order the store returns
    them (append order). ``anchors`` maps sequence numbers to hashes known from elsewhere;
    ``expected_count`` is the number of entries known to exist (catches truncation).
    ``first_seq``/``prev_hash`` let a caller verify a tail starting from a trusted checkpoint.
    ``key`` checks keyed entries (without it a keyed entry cannot be verified and fails);
    ``sealed_from`` is the first sequence number that must be keyed (from a trusted checkpoint).
    """
    rows = [_as_entry(e) for e in entries]
    seen_seqs = {row.seq for row in rows}
    expected = first_seq
    prev = prev_hash
    known = dict(anchors or {})
    prev_keyed = False

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
        unkeyed = _unkeyed_reason(row, seen_keyed=prev_keyed, sealed_from=sealed_from, key=key)
        if unkeyed:
            return broken(unkeyed, row.seq)
        try:
            computed = entry_hash(prev, row.fields, key if row.keyed else None)
        except (TypeError, ValueError) as exc:
            return broken(f"entry {row.seq} has fields that are not JSON values: {exc}", row.seq)
        if computed != row.stored_hash:
            if position and _links_elsewhere(row, rows[:position], key if row.keyed else None):
                reason = (
                    f"entry {row.seq} is intact but was chained after a different entry: "
                    "entries were moved or renumbered"
                )
            else:
                reason = (
                    f"entry {row.seq} does not match its hash: it was altered, or an entry "
                    "before it was deleted, inserted or replaced"
                )
                if row.keyed and not prev_keyed:
                    reason += " (or the audit key is not the one the trail was written with)"
            return broken(reason, row.seq)
        anchor = known.get(row.seq)
        if anchor is not None and anchor != row.stored_hash:
            return broken(
                f"entry {row.seq} differs from its anchored hash: the chain was rewritten here or before",
                row.seq,
            )
        prev = row.stored_hash
        prev_keyed = prev_keyed or row.keyed
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


def _unkeyed_reason(row: Entry, *, seen_keyed: bool, sealed_from: int | None, key: bytes | None) -> str:
    """Why a keyed/plain entry is out of place, or "" when it is not."""
    if row.keyed and key is None:
        return f"entry {row.seq} is keyed, and the audit key is needed to check it"
    if row.keyed:
        return ""
    if seen_keyed:
        return (
            f"entry {row.seq} has a plain hash after keyed entries: it was rewritten by someone "
            "without the audit key"
        )
    if sealed_from is not None and row.seq >= sealed_from:
        return (
            f"entry {row.seq} has a plain hash, but every entry from {sealed_from} on was keyed: "
            "it was rewritten by someone without the audit key"
        )
    return ""


def _links_elsewhere(row: Entry, earlier: Sequence[Entry], key: bytes | None) -> bool:
    """Whether the entry is intact but was hashed after some other (earlier) entry's hash."""
    candidates = [GENESIS_HASH, *(e.stored_hash for e in earlier)]
    for prev in candidates:
        try:
            if entry_hash(prev, row.fields, key) == row.stored_hash:
                return True
        except (TypeError, ValueError):
            return False
    return False


CHECKPOINT_CONTEXT = b"kpo audit checkpoint v1"
"""Checkpoints are signed with a key derived from the audit key, so a checkpoint signature is never
also a valid entry hash."""


def checkpoint_signature(key: bytes, checkpoint: Mapping[str, Any]) -> str:
    """HMAC-SHA256 (hex) of a checkpoint's fields (everything but ``sig``), in canonical JSON."""
    signing_key = hmac.new(key, CHECKPOINT_CONTEXT, hashlib.sha256).digest()
    fields = {name: value for name, value in checkpoint.items() if name != "sig"}
    data = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hmac.new(signing_key, data.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_checkpoint(key: bytes, checkpoint: Mapping[str, Any]) -> dict[str, Any]:
    """The checkpoint with its ``sig``."""
    fields = {name: value for name, value in checkpoint.items() if name != "sig"}
    return {**fields, "sig": checkpoint_signature(key, fields)}


def checkpoint_is_signed(key: bytes, checkpoint: Mapping[str, Any]) -> bool:
    signature = checkpoint.get("sig")
    if not isinstance(signature, str):
        return False
    try:
        expected = checkpoint_signature(key, checkpoint)
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected, signature)
