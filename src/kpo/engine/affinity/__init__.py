"""Text affinity between experts (their work samples) and submissions (tasks), offline.

Pure: numpy only at import time; the semantic backends import their optional packages when built.
"""

from kpo.engine.affinity.aggregate import DEFAULT_AGGREGATE, CentroidMix, get_aggregator
from kpo.engine.affinity.backends import BACKENDS, DEFAULT_BACKEND, FITTED, default_aggregate, make_embedder
from kpo.engine.affinity.embedder import (
    BackendUnavailable,
    Embedder,
    cache_key,
    content_hash,
    embed_cached,
)
from kpo.engine.affinity.lexical import LexicalEmbedder
from kpo.engine.affinity.openreview import (
    Note,
    OpenReviewFormatError,
    read_archives,
    read_submissions,
    write_affinities,
)
from kpo.engine.affinity.scoring import compute_affinities, score_vectors

__all__ = [
    "BACKENDS",
    "DEFAULT_AGGREGATE",
    "DEFAULT_BACKEND",
    "FITTED",
    "BackendUnavailable",
    "CentroidMix",
    "Embedder",
    "LexicalEmbedder",
    "Note",
    "OpenReviewFormatError",
    "cache_key",
    "compute_affinities",
    "content_hash",
    "default_aggregate",
    "embed_cached",
    "get_aggregator",
    "make_embedder",
    "read_archives",
    "read_submissions",
    "score_vectors",
    "write_affinities",
]
