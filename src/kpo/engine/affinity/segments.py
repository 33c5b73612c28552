"""Aggregating the similarities of many experts at once, each expert's rows one contiguous segment.

`aggregate.py` scores one expert at a time (a Python call per expert); a shortlist over 100,000
experts needs the same numbers in a few vectorised numpy steps. `aggregate_segments` gives exactly
what `get_aggregator(spec)` gives per expert, for the specs `mean`, `max`, `topK` and `softmax[:TAU]`:
segments are padded into an `(experts, longest)` matrix (padding -inf), so an expert with many rows
costs as much as the longest one; experts with more than `PADDED_ROWS` rows are scored one by one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kpo.engine.affinity.aggregate import DEFAULT_TAU, CentroidMix, get_aggregator

PADDED_ROWS = 16
IntArray = npt.NDArray[np.intp]
Scores = npt.NDArray[np.float64]


def aggregate_segments(values: npt.NDArray[np.floating], counts: IntArray, spec: str) -> Scores:
    """One score per segment: `values` holds the segments back to back, `counts[i]` rows each (>= 1)."""
    aggregator = get_aggregator(spec)  # validates the spec
    if isinstance(aggregator, CentroidMix):
        raise ValueError(f"{spec!r} mixes in the centroid of the vectors: use score_vectors")
    sims = np.asarray(values, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.intp)
    if counts.size and counts.min() < 1:
        raise ValueError("every segment needs at least one row")
    if int(counts.sum()) != sims.size:
        raise ValueError(f"counts add up to {int(counts.sum())} rows, values hold {sims.size}")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.intp)
    out = np.empty(counts.size, dtype=np.float64)
    long = counts > PADDED_ROWS
    for segment in np.flatnonzero(long).tolist():
        rows = sims[starts[segment] : starts[segment] + counts[segment]]
        out[segment] = aggregator(rows[:, None])[0]
    short = np.flatnonzero(~long)
    if short.size:
        out[short] = _padded(sims, starts[short], counts[short], spec.strip())
    return out


def _padded(sims: Scores, starts: IntArray, counts: IntArray, spec: str) -> Scores:
    width = int(counts.max())
    offsets = np.arange(width, dtype=np.intp)
    valid = offsets[None, :] < counts[:, None]
    positions = np.where(valid, starts[:, None] + offsets[None, :], 0)
    matrix = np.where(valid, sims[positions], -np.inf)
    if spec == "max":
        return np.asarray(matrix.max(axis=1), dtype=np.float64)
    if spec == "mean":
        return np.asarray(np.where(valid, matrix, 0.0).sum(axis=1) / counts, dtype=np.float64)
    if spec.startswith("top"):
        k = int(spec[3:])
        ordered = -np.sort(-matrix, axis=1)[:, :k]
        taken = np.minimum(counts, k)
        kept = np.arange(ordered.shape[1])[None, :] < taken[:, None]
        return np.asarray(np.where(kept, ordered, 0.0).sum(axis=1) / taken, dtype=np.float64)
    tau = float(spec.split(":", 1)[1]) if ":" in spec else DEFAULT_TAU
    shifted = (matrix - matrix.max(axis=1, keepdims=True)) / tau
    weights = np.where(valid, np.exp(shifted), 0.0)
    weights /= weights.sum(axis=1, keepdims=True)
    return np.asarray((weights * np.where(valid, matrix, 0.0)).sum(axis=1), dtype=np.float64)
