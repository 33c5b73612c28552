"""Background jobs of matching: take ids, call one service."""

from __future__ import annotations

from django_tasks import task

from kpo.matching.embeddings import embedding_refresh


@task()
def refresh_embeddings(expert_ids: list[int] | None = None) -> int:
    """Recompute the stored embeddings of `expert_ids` (None: every expert) that changed."""
    return embedding_refresh(expert_ids=expert_ids)
