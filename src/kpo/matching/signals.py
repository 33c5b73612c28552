"""A profile whose embedded text (headline, biography) changed has its embeddings refreshed by the worker.

Work-sample imports enqueue their own refresh (`work_samples.py`); this covers the profile's row 0,
however the profile is saved (page, API, admin, shell). Skills are not part of the embedded text, so a
skill edit changes no vector. `QuerySet.update` sends no signal: code that rewrites the text that way
must enqueue `refresh_embeddings` itself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from kpo.engine.affinity import FITTED
from kpo.experts.models import ExpertProfile
from kpo.matching.embeddings import configured_backend

TEXT_FIELDS = ("headline", "biography")
TEXT_CHANGED = "_kpo_embedded_text_changed"


def _note_text_change(
    sender: type[ExpertProfile], instance: ExpertProfile, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.pk is None or (update_fields is not None and not set(TEXT_FIELDS) & set(update_fields)):
        return
    stored = ExpertProfile.objects.filter(pk=instance.pk).values_list(*TEXT_FIELDS).first()
    current = tuple(getattr(instance, field) for field in TEXT_FIELDS)
    setattr(instance, TEXT_CHANGED, stored is not None and stored != current)


def _enqueue_refresh(sender: type[ExpertProfile], instance: ExpertProfile, **kwargs: Any) -> None:
    if not getattr(instance, TEXT_CHANGED, False):
        return
    setattr(instance, TEXT_CHANGED, False)
    if configured_backend() in FITTED:  # nothing is stored for them
        return
    expert_ids = [instance.pk]

    def enqueue() -> None:
        from kpo.matching.jobs import refresh_embeddings

        refresh_embeddings.enqueue(expert_ids=expert_ids)

    transaction.on_commit(enqueue)


def connect() -> None:
    pre_save.connect(_note_text_change, sender=ExpertProfile, dispatch_uid="kpo.matching.text_changed")
    post_save.connect(_enqueue_refresh, sender=ExpertProfile, dispatch_uid="kpo.matching.refresh_on_edit")
