"""The chain's verification status as the audit page tells it: the worker checks the whole chain
periodically and stores the result; the page reads the latest stored result (one query), never checks
the chain itself inside a request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.utils import timezone

from kpo.audit.models import ChainVerification
from kpo.audit.services import ChainReport, audit_verify


class ChainState(StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    BROKEN = "broken"


@dataclass(frozen=True)
class ChainStatus:
    state: ChainState
    at: dt.datetime | None = None
    seq: int | None = None
    """VERIFIED: the last entry checked; BROKEN: the first bad entry (None when no entry is named)."""


def record_verification(report: ChainReport, *, now: dt.datetime | None = None) -> ChainVerification:
    """Store what a full check found."""
    result = report.result
    return ChainVerification.objects.create(
        at=now or timezone.now(),
        ok=result.ok,
        head_seq=report.head_seq,
        first_bad_seq=None if result.ok else result.first_bad_seq,
        reason="" if result.ok else result.reason,
    )


def verify_and_record(checkpoint_file: Path | None = None) -> ChainVerification:
    """Check the whole chain (`audit_verify`) and store the result."""
    return record_verification(audit_verify(checkpoint_file))


def chain_status() -> ChainStatus:
    """The latest stored check's result (one query)."""
    latest = ChainVerification.objects.order_by("-at", "-id").first()
    if latest is None:
        return ChainStatus(ChainState.UNVERIFIED)
    if latest.ok:
        return ChainStatus(ChainState.VERIFIED, latest.at, latest.head_seq)
    return ChainStatus(ChainState.BROKEN, latest.at, latest.first_bad_seq)
