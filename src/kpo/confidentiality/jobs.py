"""Background jobs of the vault: ids in, one service call."""

from __future__ import annotations

from django_tasks import task

from kpo.confidentiality.prepared import prepared_copy_make


@task()
def prepare_vault_copy(copy_id: int) -> None:
    prepared_copy_make(copy_id=copy_id)
