"""Background jobs of the audit trail: keyword arguments in, one service call."""

from __future__ import annotations

import logging

from django_tasks import task

from kpo.audit.services import CheckpointRefused, audit_checkpoint
from kpo.audit.verification import verify_and_record

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


@task()
def verify_audit_chain() -> dict[str, object]:
    """Check the whole chain and store the result for the audit page (every hour)."""
    checked = verify_and_record()
    if not checked.ok:
        logger.error("The audit trail does not verify (entry %s): %s", checked.first_bad_seq, checked.reason)
    return {"ok": checked.ok, "head": checked.head_seq, "first_bad": checked.first_bad_seq}
