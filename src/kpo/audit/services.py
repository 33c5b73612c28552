"""Writing to and checking the audit trail."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.checkpoints import (
    Checkpoint,
    CheckpointError,
    append_checkpoint,
    checkpoints_file,
    read_checkpoints,
)
from kpo.audit.keys import audit_key, existing_audit_key, required_audit_key
from kpo.audit.models import AuditEntry, AuditEvent, AuditHead
from kpo.core.errors import DomainError
from kpo.engine.audit_chain import GENESIS_HASH, VerifyResult, entry_hash, verify

logger = logging.getLogger(__name__)

HEAD_PK = 1


Actor = AbstractBaseUser | AnonymousUser | None
Target = tuple[str, str | int]
"""What an entry is about: an object type ("task", "expert", ...) and the object's id."""


class AuditUnavailable(DomainError):
    """The trail could not record an action, so the action must not happen (its transaction rolls back)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            _(
                "This was not done, because the audit trail could not record it. "
                "Nothing was changed; try again in a moment."
            )
        )


def audit(
    actor: Actor,
    event: str,
    target: Target | None,
    organisation: Model | None,
    details: dict[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append to the trail that `actor` did `event` to `target` of `organisation`, with `details`.

    Call it inside the transaction of the action it records, or before an action that changes nothing
    stored (a download, a sign-in): when the entry cannot be written it raises `AuditUnavailable`, and
    the action is rolled back or not taken. `at` defaults to now.
    """
    try:
        _append(actor, event, target, organisation, details, at)
    except (DatabaseError, OSError, ImproperlyConfigured) as error:
        logger.exception("Could not record audit event %s; the action is refused", event)
        raise AuditUnavailable() from error


def _append(
    actor: Actor,
    event: str,
    target: Target | None,
    organisation: Model | None,
    details: dict[str, Any] | None,
    at: dt.datetime | None,
) -> None:
    """One entry onto the chain, and the head moved to it, in one transaction."""
    object_type, object_id = target or ("", "")
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=HEAD_PK, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        key = required_audit_key() if head.sealed_seq else audit_key()
        last = AuditEntry.objects.select_for_update().order_by("-seq").only("seq", "hash").first()
        seq, prev = (last.seq + 1, last.hash) if last is not None else (1, GENESIS_HASH)
        entry = AuditEntry(
            seq=seq,
            at=at or timezone.now(),
            event=event,
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            organisation_id=organisation.pk if organisation is not None else None,
            object_type=object_type,
            object_id=str(object_id),
            details=details or {},
            prev_hash=prev,
            keyed=True,
        )
        entry.hash = entry_hash(prev, entry.chain_fields(), key)
        entry.save()
        sealed = head.sealed_seq or seq
        AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=entry.hash, sealed_seq=sealed)


@dataclass(frozen=True)
class ChainReport:
    result: VerifyResult
    count: int
    head_seq: int
    head_hash: str
    floor_seq: int = 0
    """Entries up to this sequence number were purged after their retention period."""
    checkpoints: int = 0
    """Signed checkpoints the chain was checked against."""
    latest_checkpoint: Checkpoint | None = None


def audit_verify(checkpoint_file: Path | None = None) -> ChainReport:
    """Check every stored entry, in sequence order, against the chain (keyed with the audit key), the
    separately kept head and the signed checkpoints kept outside the database (`checkpoint_file`,
    default `checkpoints_file()`; none when it does not exist).

    The chain must hold every checkpointed entry with its checkpointed hash, must not be shorter than
    any checkpoint, and every entry from the first keyed one (as the head or any checkpoint knows it)
    must be keyed. After a retention purge the chain starts above the head's floor (the last purged
    entry's sequence number and hash), and the newest `retention_purged` entry must name that same floor.
    """
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    key = existing_audit_key()
    if key is None and (
        (head is not None and head.sealed_seq) or AuditEntry.objects.filter(keyed=True).exists()
    ):
        try:
            required_audit_key()
        except ImproperlyConfigured as missing:
            return _report(_failed(str(missing), None), count=0, head=head, checkpoints=[])
    try:
        checkpoints = read_checkpoints(checkpoint_file or checkpoints_file(), key)
    except CheckpointError as error:
        return _report(_failed(str(error), None), count=0, head=head, checkpoints=[])
    rows = [
        (entry.seq, entry.chain_fields(), entry.hash, entry.keyed)
        for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    ]
    head_seq = head.seq if head is not None else 0
    head_hash = head.hash if head is not None else GENESIS_HASH
    floor_seq = head.floor_seq if head is not None else 0
    floor_hash = head.floor_hash if head is not None else GENESIS_HASH
    anchors = {head_seq: head_hash} if head_seq > floor_seq else {}
    anchors.update({c.seq: c.hash for c in checkpoints if c.seq > floor_seq})
    result = verify(
        rows,
        anchors=anchors,
        expected_count=head_seq - floor_seq,
        first_seq=floor_seq + 1,
        prev_hash=floor_hash,
        key=key,
        sealed_from=_sealed_from(head, checkpoints),
    )
    if result.ok and len(rows) != head_seq - floor_seq:
        # entries appended behind the head's back (inserted directly into the table)
        result = _failed(
            f"entry {head_seq + 1} is past the recorded head {head_seq}: it was added outside kpo",
            head_seq + 1,
            checked=head_seq - floor_seq,
            head_hash=head_hash,
        )
    if result.ok and head_seq > floor_seq and result.head_hash != head_hash:
        result = _failed(
            f"the head's hash differs from entry {head_seq}'s: the head was changed outside kpo",
            head_seq,
            checked=head_seq - floor_seq - 1,
            head_hash=result.head_hash,
        )
    if result.ok and floor_seq:
        result = _check_floor(result, floor_seq, floor_hash)
    return _report(result, count=len(rows), head=head, checkpoints=checkpoints)


def _sealed_from(head: AuditHead | None, checkpoints: list[Checkpoint]) -> int | None:
    """The first sequence number that must be keyed: the lowest any checkpoint or the head names."""
    known = [c.sealed for c in checkpoints if c.sealed] + (
        [head.sealed_seq] if head and head.sealed_seq else []
    )
    return min(known) if known else None


def _failed(reason: str, at: int | None, *, checked: int = 0, head_hash: str = GENESIS_HASH) -> VerifyResult:
    return VerifyResult(ok=False, first_bad_seq=at, reason=reason, checked=checked, head_hash=head_hash)


def _report(
    result: VerifyResult, *, count: int, head: AuditHead | None, checkpoints: list[Checkpoint]
) -> ChainReport:
    return ChainReport(
        result=result,
        count=count,
        head_seq=head.seq if head is not None else 0,
        head_hash=head.hash if head is not None else GENESIS_HASH,
        floor_seq=head.floor_seq if head is not None else 0,
        checkpoints=len(checkpoints),
        latest_checkpoint=max(checkpoints, key=lambda c: c.seq) if checkpoints else None,
    )


def _check_floor(result: VerifyResult, floor_seq: int, floor_hash: str) -> VerifyResult:
    """The newest purge record must name the floor the head keeps (else the floor was moved)."""
    record = (
        AuditEntry.objects.filter(event=AuditEvent.RETENTION_PURGED, seq__gt=floor_seq)
        .order_by("-seq")
        .first()
    )
    details = record.details if record is not None and isinstance(record.details, dict) else {}
    if details.get("through_seq") == floor_seq and details.get("hash") == floor_hash:
        return result
    return VerifyResult(
        ok=False,
        first_bad_seq=floor_seq + 1,
        reason=(
            f"the chain starts after entry {floor_seq}, but no retention purge record names that floor: "
            "entries were removed outside `kpo audit purge`"
        ),
        checked=0,
        head_hash=result.head_hash,
    )


class CheckpointRefused(Exception):
    """The chain does not verify since the last checkpoint: a checkpoint now would vouch for a rewrite."""


def audit_checkpoint(checkpoint_file: Path | None = None, *, now: dt.datetime | None = None) -> Checkpoint:
    """Append a signed checkpoint of the current head to the checkpoint file and return it.

    Only the entries since the latest checkpoint are checked first (a full check is `audit_verify`);
    raises CheckpointRefused, writing nothing, when they do not verify or the file holds a bad line.
    """
    path = checkpoint_file or checkpoints_file()
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    key = required_audit_key() if head is not None and head.sealed_seq else audit_key()
    try:
        checkpoints = read_checkpoints(path, key)
    except CheckpointError as error:
        raise CheckpointRefused(str(error)) from error
    result = _verify_since(head, checkpoints, key)
    if not result.ok:
        where = f"entry {result.first_bad_seq}: " if result.first_bad_seq is not None else ""
        raise CheckpointRefused(
            f"the audit trail does not verify ({where}{result.reason}); no checkpoint written"
        )
    checkpoint = Checkpoint(
        seq=head.seq if head is not None else 0,
        hash=head.hash if head is not None else GENESIS_HASH,
        at=(now or timezone.now()).astimezone(dt.UTC).isoformat(),
        sealed=head.sealed_seq if head is not None else 0,
        floor=head.floor_seq if head is not None else 0,
    )
    append_checkpoint(path, key, checkpoint)
    return checkpoint


def _verify_since(head: AuditHead | None, checkpoints: list[Checkpoint], key: bytes) -> VerifyResult:
    """The entries after the latest checkpoint (or the floor, if later), up to the head."""
    head_seq = head.seq if head is not None else 0
    head_hash = head.hash if head is not None else GENESIS_HASH
    base_seq = head.floor_seq if head is not None else 0
    base_hash = head.floor_hash if head is not None else GENESIS_HASH
    latest = max(checkpoints, key=lambda c: c.seq) if checkpoints else None
    if latest is not None and latest.seq > base_seq:
        base_seq, base_hash = latest.seq, latest.hash
    if head_seq < base_seq:
        return _failed(
            f"the head is at entry {head_seq}, but a checkpoint recorded entry {base_seq}: "
            "the log was cut off",
            head_seq + 1,
        )
    if head_seq == base_seq and head_hash != base_hash:
        return _failed(
            f"the head's hash at entry {head_seq} differs from the checkpoint's: the chain was rewritten",
            head_seq,
        )
    rows = [
        (entry.seq, entry.chain_fields(), entry.hash, entry.keyed)
        for entry in AuditEntry.objects.filter(seq__gt=base_seq, seq__lte=head_seq).order_by("seq")
    ]
    return verify(
        rows,
        anchors={head_seq: head_hash} if head_seq > base_seq else {},
        expected_count=head_seq - base_seq,
        first_seq=base_seq + 1,
        prev_hash=base_hash,
        key=key,
        sealed_from=_sealed_from(head, checkpoints),
    )


DEFAULT_RETENTION_DAYS = 2557
"""Seven years (7 * 365 + 2 leap days)."""


def retention_days() -> int:
    """`KPO_AUDIT_RETENTION_DAYS` (setting, else environment variable), default seven years."""
    value = getattr(settings, "KPO_AUDIT_RETENTION_DAYS", None) or os.environ.get("KPO_AUDIT_RETENTION_DAYS")
    try:
        days = int(str(value)) if value not in (None, "") else DEFAULT_RETENTION_DAYS
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured("KPO_AUDIT_RETENTION_DAYS must be a whole number of days.") from error
    if days < 1:
        raise ImproperlyConfigured("KPO_AUDIT_RETENTION_DAYS must be at least 1.")
    return days


class PurgeRefused(Exception):
    """The trail does not verify: purging would destroy the evidence."""


@dataclass(frozen=True)
class PurgeReport:
    removed: int
    through_seq: int
    cutoff: dt.datetime
    days: int


def audit_purge(
    *,
    days: int | None = None,
    now: dt.datetime | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Remove the oldest entries recorded before `now - days` (a prefix of the chain), keep the chain
    verifiable from the last removed entry (the head's floor) and record the purge in the trail.

    Refuses (PurgeRefused) when the trail does not verify first.
    """
    keep_days = days if days is not None else retention_days()
    if keep_days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=HEAD_PK).first()
        report = audit_verify()
        if not report.result.ok:
            raise PurgeRefused(
                f"the audit trail does not verify (entry {report.result.first_bad_seq}: "
                f"{report.result.reason}); nothing was purged"
            )
        first_kept = (
            AuditEntry.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        )
        old = (
            AuditEntry.objects.all() if first_kept is None else AuditEntry.objects.filter(seq__lt=first_kept)
        )
        last = old.order_by("-seq").only("seq", "hash").first()
        if last is None or head is None:
            return PurgeReport(removed=0, through_seq=report.floor_seq, cutoff=cutoff, days=keep_days)
        removed = old.count()
        if dry_run:
            return PurgeReport(removed=removed, through_seq=last.seq, cutoff=cutoff, days=keep_days)
        through_seq, through_hash = last.seq, last.hash
        old.delete()  # a bulk delete: the per-row append-only guard is for everything but this
        AuditHead.objects.filter(pk=head.pk).update(floor_seq=through_seq, floor_hash=through_hash)
        details = {
            "through_seq": through_seq,
            "hash": through_hash,
            "removed": removed,
            "cutoff": cutoff.astimezone(dt.UTC).isoformat(),
            "days": keep_days,
        }
        audit(actor, AuditEvent.RETENTION_PURGED, ("audit", ""), None, details)
    return PurgeReport(removed=removed, through_seq=through_seq, cutoff=cutoff, days=keep_days)
