"""Writing to and checking the audit trail."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from kpo.audit.models import AuditEntry, AuditHead
from kpo.engine.audit_chain import GENESIS_HASH, VerifyResult, entry_hash, verify

logger = logging.getLogger(__name__)

HEAD_PK = 1


def audit_record(
    *,
    event: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    organisation: Any | None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
    at: Any | None = None,
) -> AuditEntry:
    """Append one entry to the chain (and move the head) in one transaction."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    organisation_id = organisation.pk if organisation is not None else None
    when = at or timezone.now()
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=HEAD_PK, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        last = AuditEntry.objects.select_for_update().order_by("-seq").only("seq", "hash").first()
        seq, prev = (last.seq + 1, last.hash) if last is not None else (1, GENESIS_HASH)
        entry = AuditEntry(
            seq=seq,
            at=when,
            event=event,
            actor_id=actor_id,
            organisation_id=organisation_id,
            object_type=object_type,
            object_id=str(object_id),
            details=details or {},
            prev_hash=prev,
        )
        entry.hash = entry_hash(prev, entry.chain_fields())
        entry.save()
        AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=entry.hash)
    return entry


def audit_record_safely(**kwargs: Any) -> None:
    """Record, but never let a failure to audit break the action being audited (it is logged)."""
    try:
        audit_record(**kwargs)
    except Exception:
        logger.exception("Could not record audit event %s", kwargs.get("event"))


@dataclass(frozen=True)
class ChainReport:
    result: VerifyResult
    count: int
    head_seq: int
    head_hash: str


def audit_verify() -> ChainReport:
    """Check every stored entry, in sequence order, against the chain and the separately kept head."""
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    rows = [
        (entry.seq, entry.chain_fields(), entry.hash)
        for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    ]
    head_seq = head.seq if head is not None else 0
    head_hash = head.hash if head is not None else GENESIS_HASH
    anchors = {head_seq: head_hash} if head_seq else {}
    result = verify(rows, anchors=anchors, expected_count=head_seq)
    if result.ok and len(rows) != head_seq:
        # entries appended behind the head's back (inserted directly into the table)
        result = VerifyResult(
            ok=False,
            first_bad_seq=head_seq + 1,
            reason=f"entry {head_seq + 1} is past the recorded head {head_seq}: it was added outside kpo",
            checked=head_seq,
            head_hash=head_hash,
        )
    return ChainReport(result=result, count=len(rows), head_seq=head_seq, head_hash=head_hash)
