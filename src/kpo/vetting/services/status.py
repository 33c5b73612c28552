"""The expert's profile status follows their vetting record: active while the record is active and its
re-verification is not due, inactive otherwise. It is recomputed on every change to the record, when
a provider changes its vetting policy (`services.policy`), and daily (`vetting_lapse_sync`). Experts
without a record keep the status their provider gives them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kpo.engine.vetting import VettingState, reverification_date
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.vetting.models import VettingRecord
from kpo.vetting.selectors import is_lapsed, policy_for
from kpo.vetting.services.common import local_today


def expected_status(record: VettingRecord, today: dt.date) -> str:
    if record.state == VettingState.ACTIVE and not is_lapsed(record, today):
        return ExpertStatus.ACTIVE.value
    return ExpertStatus.INACTIVE.value


def sync_status(record: VettingRecord, today: dt.date) -> None:
    """Keep the profile's status in step with the record (and touch it, so matching sees the change)."""
    status = expected_status(record, today)
    ExpertProfile.objects.filter(pk=record.expert_id).exclude(status=status).update(
        status=status, updated_at=timezone.now()
    )
    record.expert.status = status


def recompute_due(record: VettingRecord) -> None:
    if record.verified_on is None:
        record.reverification_due_on = None
        return
    months = policy_for(record.expert.organisation_id).reverification_months
    record.reverification_due_on = reverification_date(record.verified_on, months)


def vetting_lapse_sync(*, today: dt.date | None = None) -> int:
    """Set every vetted expert's status from their record (lapsed re-verification → inactive, renewed
    → active); run daily (`kpo vetting-sync`). Returns how many profiles changed."""
    day = today or local_today()
    changed = 0
    records = VettingRecord.objects.select_related("expert")
    for record in records.iterator(chunk_size=1000):
        status = expected_status(record, day)
        if record.expert.status != status:
            with transaction.atomic():
                sync_status(record, day)
            changed += 1
    return changed
