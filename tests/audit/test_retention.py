"""Retention: `kpo audit purge` removes entries past the retention period; `verify` keeps working."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kpo.audit.models import AuditEntry, AuditHead
from kpo.audit.services import (
    DEFAULT_RETENTION_DAYS,
    PurgeRefused,
    audit,
    audit_purge,
    audit_verify,
    retention_days,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2034, 6, 1, 12, tzinfo=dt.UTC)


def _trail() -> list[AuditEntry]:
    """Six entries: three eight years old, one six years old, two recent."""
    ages = [8 * 365 + 30, 8 * 365 + 20, 8 * 365 + 10, 6 * 365, 10, 1]
    for i, age in enumerate(ages):
        audit(None, "login", None, None, {"n": i}, at=NOW - dt.timedelta(days=age))
    return list(AuditEntry.objects.order_by("seq"))


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_the_default_is_seven_years(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_AUDIT_RETENTION_DAYS = None
    assert retention_days() == DEFAULT_RETENTION_DAYS == 2557
    settings.KPO_AUDIT_RETENTION_DAYS = 30
    assert retention_days() == 30


def test_purge_removes_the_old_prefix_and_verify_still_passes() -> None:
    entries = _trail()
    report = audit_purge(now=NOW, days=DEFAULT_RETENTION_DAYS)
    assert (report.removed, report.through_seq) == (3, 3)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6, 7]
    purge = AuditEntry.objects.get(seq=7)
    assert purge.event == "retention_purged"
    assert purge.details["through_seq"] == 3 and purge.details["hash"] == entries[2].hash
    head = AuditHead.objects.get()
    assert (head.floor_seq, head.floor_hash, head.seq) == (3, entries[2].hash, 7)
    assert audit_verify().result.ok
    assert "OK: 4 entries" in _verify() and "entries up to 3 purged" in _verify()
    # nothing more to purge: nothing changes, nothing is recorded
    assert audit_purge(now=NOW, days=DEFAULT_RETENTION_DAYS).removed == 0
    assert AuditEntry.objects.count() == 4
    # a later purge moves the floor again and verify still passes
    later = audit_purge(now=NOW, days=100)
    assert later.removed == 1 and later.through_seq == 4
    assert audit_verify().result.ok
    audit(None, "login", None, None)
    assert audit_verify().result.ok


def test_verify_still_catches_edits_deletions_and_reordering_after_a_purge() -> None:
    _trail()
    audit_purge(now=NOW, days=DEFAULT_RETENTION_DAYS)
    AuditEntry.objects.filter(seq=5).update(details={"n": 99})
    result = audit_verify().result
    assert not result.ok and result.first_bad_seq == 5
    AuditEntry.objects.filter(seq=5).update(details={"n": 4})
    assert audit_verify().result.ok
    AuditEntry.objects.filter(seq=4).delete()
    result = audit_verify().result
    assert not result.ok and result.first_bad_seq == 4


def test_entries_removed_outside_purge_are_caught_even_with_a_moved_floor() -> None:
    entries = _trail()
    AuditEntry.objects.filter(seq__lte=4).delete()
    # an attacker who also moves the floor, as a purge would, is still caught: no purge record names it
    AuditHead.objects.update(floor_seq=4, floor_hash=entries[3].hash)
    result = audit_verify().result
    assert not result.ok and "no retention purge record" in result.reason
    with pytest.raises(CommandError):
        _verify()


def test_purge_refuses_a_tampered_trail_and_changes_nothing() -> None:
    _trail()
    AuditEntry.objects.filter(seq=2).update(event="download")
    with pytest.raises(PurgeRefused):
        audit_purge(now=NOW, days=DEFAULT_RETENTION_DAYS)
    assert AuditEntry.objects.count() == 6 and AuditHead.objects.get().floor_seq == 0
    with pytest.raises(CommandError) as caught:
        call_command("audit", "purge")
    assert "nothing was purged" in str(caught.value)


def test_the_command(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _trail()
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    out = io.StringIO()
    call_command("audit", "purge", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would remove 3 entries") and AuditEntry.objects.count() == 6
    out = io.StringIO()
    call_command("audit", "purge", "--days", "30", stdout=out)
    assert out.getvalue().startswith("Removed 4 entries")
    assert audit_verify().result.ok
    with pytest.raises(CommandError):
        call_command("audit", "purge", "--days", "0")
