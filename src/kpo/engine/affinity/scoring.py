"""Expert-to-submission affinity scores from work samples: embed, compare, aggregate.

`score_vectors` works on vectors the caller already has (e.g. loaded from its store, see
`embed_cached`); `compute_affinities` embeds the notes itself. Both are deterministic for a
deterministic embedder and never mix vectors of different embedders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kpo.engine.affinity.aggregate import DEFAULT_AGGREGATE, Aggregator, CentroidMix, get_aggregator
from kpo.engine.affinity.embedder import Embedder, FloatMatrix, l2_normalise
from kpo.engine.affinity.openreview import Note

CHUNK_TEXTS = 512


def score_vectors(
    sample_vectors: Mapping[str, FloatMatrix],
    submission_vectors: FloatMatrix,
    aggregate: Aggregator | CentroidMix | str = DEFAULT_AGGREGATE,
) -> dict[str, npt.NDArray[np.float64]]:
    """`{expertId: scores}` with one score per row of `submission_vectors`.

    `sample_vectors[expert]` is that expert's `(n_samples, dim)` matrix; an expert with no samples
    gets zeros.
    """
    aggregator = get_aggregator(aggregate) if isinstance(aggregate, str) else aggregate
    queries = np.asarray(submission_vectors, dtype=np.float32)
    scores: dict[str, npt.NDArray[np.float64]] = {}
    for expert, vectors in sample_vectors.items():
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.shape[0] == 0:
            scores[expert] = np.zeros(queries.shape[0], dtype=np.float64)
            continue
        sims = matrix @ queries.T
        if isinstance(aggregator, CentroidMix):
            centroid = l2_normalise(matrix.sum(axis=0, keepdims=True))
            scores[expert] = aggregator.combine(sims, (centroid @ queries.T)[0])
        else:
            scores[expert] = aggregator(sims)
    return scores


def compute_affinities(
    embedder: Embedder,
    archives: Mapping[str, Sequence[Note]],
    submissions: Mapping[str, Note],
    aggregate: Aggregator | CentroidMix | str = DEFAULT_AGGREGATE,
    *,
    chunk_texts: int = CHUNK_TEXTS,
) -> dict[str, dict[str, float]]:
    """`{expertId: {submissionId: score}}` for every expert and submission.

    Submissions are embedded as queries, work samples as passages, in chunks of about `chunk_texts`
    samples (whole experts per chunk), so memory stays bounded for large archives.
    """
    aggregator = get_aggregator(aggregate) if isinstance(aggregate, str) else aggregate
    submission_ids = list(submissions)
    queries = embedder.embed([submissions[key].text for key in submission_ids], role="query")
    result: dict[str, dict[str, float]] = {}
    batch: list[str] = []
    size = 0

    def flush() -> None:
        texts = [note.text for expert in batch for note in archives[expert]]
        vectors = embedder.embed(texts, role="passage") if texts else np.zeros((0, embedder.dim), np.float32)
        start = 0
        per_expert: dict[str, FloatMatrix] = {}
        for expert in batch:
            count = len(archives[expert])
            per_expert[expert] = vectors[start : start + count]
            start += count
        for expert, row in score_vectors(per_expert, queries, aggregator).items():
            result[expert] = {key: float(value) for key, value in zip(submission_ids, row, strict=True)}
        batch.clear()

    for expert in archives:
        batch.append(expert)
        size += len(archives[expert])
        if size >= chunk_texts:
            flush()
            size = 0
    if batch:
        flush()
    return result
