"""Issue 14, item 5: someone who can write to the database (but holds neither the audit key nor the
checkpoint file) rewrites the audit trail with raw SQL; `kpo audit verify` must say so and exit non-zero.

Before the fix each of these verified as OK: the chain's hashes were plain SHA-256 anyone can recompute
and the only anchor (the head) lived in the same database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kpo.audit.models import AuditEntry, AuditHead
from kpo.audit.services import audit
from kpo.engine.audit_chain import GENESIS_HASH, canonical

pytestmark = pytest.mark.django_db

ENTRIES = f'"{AuditEntry._meta.db_table}"'
HEAD = f'"{AuditHead._meta.db_table}"'


@pytest.fixture(autouse=True)
def checkpoints(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "audit-checkpoints.log"
    settings.KPO_AUDIT_CHECKPOINTS = str(path)
    return path


def _record(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit(None, "download", ("task_document", i), None, {"file": f"f{i}.txt", "n": i})


def _checkpoint() -> None:
    call_command("audit", "checkpoint", stdout=io.StringIO())


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _tampered() -> str:
    with pytest.raises(CommandError) as caught:
        _verify()
    assert caught.value.returncode == 1
    return str(caught.value)


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _rehash_plain(from_seq: int, *, unkey: bool = False) -> None:
    """What an attacker without the key does: recompute every hash from `from_seq` on, and the head,
    with plain SHA-256 (optionally marking the entries as old, unkeyed ones)."""
    previous = AuditEntry.objects.filter(seq__lt=from_seq).order_by("-seq").first()
    prev = previous.hash if previous is not None else GENESIS_HASH
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        digest = hashlib.sha256(canonical(prev, entry.chain_fields())).hexdigest()
        keyed = entry.keyed and not unkey
        _sql(
            f"UPDATE {ENTRIES} SET hash = %s, prev_hash = %s, keyed = %s WHERE seq = %s",
            [digest, prev, keyed, entry.seq],
        )
        prev, last = digest, entry.seq
    _sql(f"UPDATE {HEAD} SET hash = %s, seq = %s", [prev, last])
    if unkey:
        _sql(f"UPDATE {HEAD} SET sealed_seq = 0")
        _sql(f"UPDATE {ENTRIES} SET keyed = %s", [False])


def _edit(seq: int) -> None:
    _sql(f"UPDATE {ENTRIES} SET details = %s WHERE seq = %s", [json.dumps({"file": "innocent.txt"}), seq])


def test_the_checkpoint_file_is_private_signed_json_lines(checkpoints: Path) -> None:
    _record(2)
    _checkpoint()
    _record(1, start=2)
    _checkpoint()
    assert os.stat(checkpoints).st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    head = AuditHead.objects.get()
    assert [(line["seq"], len(line["sig"])) for line in lines] == [(2, 64), (3, 64)]
    assert lines[-1]["hash"] == head.hash
    assert "Matches 2 signed checkpoints" in _verify()


def test_deleting_every_entry_and_the_head_is_caught() -> None:
    _record(5)
    _checkpoint()
    _sql(f"DELETE FROM {ENTRIES}")
    _sql(f"DELETE FROM {HEAD}")
    message = _tampered()
    assert "entry 5" in message and "cut off after 0" in message


def test_deleting_the_tail_and_moving_the_head_is_caught() -> None:
    _record(5)
    _checkpoint()
    third = AuditEntry.objects.get(seq=3)
    _sql(f"DELETE FROM {ENTRIES} WHERE seq > 3")
    _sql(f"UPDATE {HEAD} SET seq = 3, hash = %s", [third.hash])
    message = _tampered()
    assert message.startswith("TAMPERED at entry 4:") and "cut off after 3" in message


def test_editing_then_rehashing_without_the_key_is_caught() -> None:
    _record(5)
    _checkpoint()
    _edit(2)
    _rehash_plain(2)
    assert _tampered().startswith("TAMPERED at entry 2: entry 2 does not match its hash")


def test_a_rewrite_after_the_last_checkpoint_is_caught_by_the_key() -> None:
    _record(3)
    _checkpoint()
    _record(3, start=3)
    _edit(5)
    _rehash_plain(5)
    assert _tampered().startswith("TAMPERED at entry 5:")


def test_passing_rewritten_entries_off_as_old_unkeyed_ones_is_caught() -> None:
    _record(5)
    _checkpoint()
    _edit(4)
    _rehash_plain(4, unkey=True)
    message = _tampered()
    assert message.startswith("TAMPERED at entry 1:")
    assert "plain hash, but every entry from 1 on was keyed" in message


def test_unkeying_entries_is_caught_even_before_the_first_checkpoint() -> None:
    _record(4)
    _edit(3)
    _rehash_plain(3, unkey=False)
    _sql(f"UPDATE {ENTRIES} SET keyed = %s WHERE seq >= 3", [False])
    assert _tampered().startswith("TAMPERED at entry 3: entry 3 has a plain hash after keyed entries")


def test_a_forged_checkpoint_line_is_refused(checkpoints: Path) -> None:
    _record(2)
    _checkpoint()
    forged = json.loads(checkpoints.read_text().splitlines()[0])
    forged.update(seq=1, hash=AuditEntry.objects.get(seq=1).hash)
    with checkpoints.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    message = _tampered()
    assert "line 2 of the checkpoint file" in message and "not signed with the audit key" in message


def test_no_checkpoint_is_written_over_a_rewritten_chain(checkpoints: Path) -> None:
    _record(3)
    _checkpoint()
    _record(2, start=3)
    _edit(4)
    _rehash_plain(4)
    with pytest.raises(CommandError, match="does not verify"):
        _checkpoint()
    assert len(checkpoints.read_text().splitlines()) == 1


def test_no_checkpoint_is_written_over_a_moved_head(checkpoints: Path) -> None:
    _record(3)
    _checkpoint()
    _sql(f"UPDATE {HEAD} SET hash = %s", ["f" * 64])
    with pytest.raises(CommandError, match="differs from the checkpoint's"):
        _checkpoint()
    assert len(checkpoints.read_text().splitlines()) == 1


def test_a_changed_head_is_named_even_where_a_checkpoint_vouches_for_the_entry() -> None:
    _record(3)
    _checkpoint()
    _sql(f"UPDATE {HEAD} SET hash = %s", ["f" * 64])
    assert _tampered().startswith("TAMPERED at entry 3: the head's hash differs from entry 3's")
