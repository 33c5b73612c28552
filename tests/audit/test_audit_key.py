"""The audit key: where it comes from, that it keys every new entry, and what happens without it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.utils import timezone

from kpo.audit import keys
from kpo.audit.jobs import write_audit_checkpoint
from kpo.audit.keys import audit_key, key_file
from kpo.audit.models import AuditEntry, AuditHead
from kpo.audit.services import AuditUnavailable, audit, audit_verify
from kpo.core.schedule import periodic_jobs
from kpo.engine.audit_chain import GENESIS_HASH, entry_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KPO_AUDIT_KEY", raising=False)
    folder = tmp_path / "data"
    settings.DATA_DIR = folder
    return folder


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_the_key_file_is_made_private_at_first_use_and_keys_every_entry(data_dir: Path) -> None:
    assert not key_file().exists()
    audit(None, "login", None, None, {"n": 1})
    assert key_file() == data_dir / "audit.key"
    assert os.stat(key_file()).st_mode & 0o777 == 0o600
    entry = AuditEntry.objects.get()
    assert entry.keyed
    assert entry.hash == entry_hash(
        GENESIS_HASH, entry.chain_fields(), key_file().read_text().strip().encode()
    )
    assert entry.hash != entry_hash(GENESIS_HASH, entry.chain_fields())
    assert AuditHead.objects.get().sealed_seq == 1


def test_the_key_is_read_once_not_per_entry(data_dir: Path) -> None:
    audit(None, "login", None, None, {"n": 1})
    key = key_file().read_text()
    key_file().write_text("y" * 64)  # a later change on disk is not picked up by a running process
    audit(None, "login", None, None, {"n": 2})
    key_file().write_text(key)
    assert audit_verify().result.ok


def test_the_environment_variable_wins_and_must_be_long(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPO_AUDIT_KEY", "k" * 40)
    assert audit_key() == b"k" * 40
    audit(None, "login", None, None, {})
    assert not key_file().exists()
    assert audit_verify().result.ok
    monkeypatch.setenv("KPO_AUDIT_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="KPO_AUDIT_KEY is shorter than 32 characters"):
        audit_key()
    with pytest.raises(AuditUnavailable):
        audit(None, "login", None, None, {})
    assert AuditEntry.objects.count() == 1


def test_a_keyed_trail_without_its_key_refuses_new_entries_and_says_why(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after restoring a backup without the separately kept key: no new key is made in its place."""
    audit(None, "login", None, None, {})
    key_file().unlink()
    monkeypatch.setattr(keys, "_loaded", {})  # a process started after the loss
    with pytest.raises(AuditUnavailable):
        audit(None, "login", None, None, {})
    assert not key_file().exists() and AuditEntry.objects.count() == 1
    with pytest.raises(CommandError, match="its key is missing: put the backed-up key file back"):
        _verify()
    with pytest.raises(CommandError, match="its key is missing"):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    assert not key_file().exists()


def test_the_wrong_key_is_named_as_a_possible_cause(data_dir: Path, settings: pytest.FixtureRequest) -> None:
    audit(None, "login", None, None, {})
    settings.DATA_DIR = data_dir.parent / "another-install"
    audit_key()
    with pytest.raises(CommandError) as caught:
        _verify()
    assert "TAMPERED at entry 1" in str(caught.value)
    assert "the audit key is not the one the trail was written with" in str(caught.value)


def test_entries_from_before_the_key_stay_verifiable_up_to_the_sealed_start(data_dir: Path) -> None:
    prev = GENESIS_HASH
    for seq in (1, 2, 3):  # written by a kpo without keys: plain SHA-256
        entry = AuditEntry(seq=seq, at=timezone.now(), event="login", prev_hash=prev)
        entry.hash = entry_hash(prev, entry.chain_fields())
        entry.save()
        prev = entry.hash
    AuditHead.objects.create(pk=1, seq=3, hash=prev)
    assert audit_verify().result.ok
    audit(None, "login", None, None, {"n": 4})
    audit(None, "login", None, None, {"n": 5})
    assert AuditHead.objects.get().sealed_seq == 4
    assert (
        list(AuditEntry.objects.order_by("seq").values_list("keyed", flat=True)) == [False] * 3 + [True] * 2
    )
    assert _verify().startswith("OK: 5 entries")

    with connection.cursor() as cursor:  # an old entry edited: the keyed entry after it no longer links
        cursor.execute(f'UPDATE "{AuditEntry._meta.db_table}" SET event = %s WHERE seq = 2', ["download"])
    assert not audit_verify().result.ok


def test_the_worker_writes_a_checkpoint_every_quarter_hour(data_dir: Path) -> None:
    job = {job.name: job for job in periodic_jobs()}["audit-checkpoint"]
    assert job.every.total_seconds() == 15 * 60 and job.task == write_audit_checkpoint
    audit(None, "login", None, None, {})
    outcome = write_audit_checkpoint.call()
    head = AuditHead.objects.get()
    assert outcome == {"written": True, "seq": 1, "hash": head.hash}
    assert "Matches 1 signed checkpoints" in _verify()


def test_verify_against_a_named_checkpoint_file(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--checkpoints: there is no file"):
        call_command("audit", "verify", "--checkpoints", str(tmp_path / "none.log"), stdout=io.StringIO())
    assert "No checkpoints in" in _verify()
    audit(None, "login", None, None, {})
    copy = tmp_path / "copy.log"
    out = io.StringIO()
    call_command("audit", "checkpoint", "--checkpoints", str(copy), stdout=out)
    assert out.getvalue().startswith(f"Checkpoint written to {copy}: entry 1, head ")
    out = io.StringIO()
    call_command("audit", "verify", "--checkpoints", str(copy), stdout=out)
    assert "Matches 1 signed checkpoints" in out.getvalue()


def test_kpo_check_refuses_a_short_key(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    call_command("check", stdout=io.StringIO())
    monkeypatch.setenv("KPO_AUDIT_KEY", "too-short")
    with pytest.raises(SystemCheckError, match=r"kpo\.audit\.E001.*shorter than 32 characters"):
        call_command("check", stdout=io.StringIO())
