"""Background jobs of the audit trail: keyword arguments in, one service call."""

from __future__ import annotations

import logging

from django_tasks import task

from kpo.audit.services import CheckpointRefused, audit_checkpoint

logger = logging.getLogger(__name__)


@task()
def write_audit_checkpoint() -> dict[str, object]:
    """Append a signed checkpoint of the chain's head outside the database (every 15 minutes)."""
    try:
        checkpoint = audit_checkpoint()
    except CheckpointRefused as refused:
        logger.error("No audit checkpoint written: %s", refused)
        return {"written": False, "refused": str(refused)}
    return {"written": True, "seq": checkpoint.seq, "hash": checkpoint.hash}
