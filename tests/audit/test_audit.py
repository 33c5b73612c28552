from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AppendOnlyError, AuditEntry, AuditHead
from kpo.audit.services import audit, audit_verify
from kpo.confidentiality.models import Download
from kpo.confidentiality.tokens import document_url, version_url
from kpo.engine.audit_chain import GENESIS_HASH
from kpo.work import services as work_services
from tests.break_glass import approved_break_glass
from tests.cast import PASSWORD, SECRET_A, Cast


def _record_some(cast: Cast, n: int = 4) -> list[AuditEntry]:
    for i in range(n):
        actor, organisation = (cast.bob, cast.org_a) if i % 2 else (None, cast.org_b)
        audit(actor, "download", ("task_document", i), organisation, {"file": f"f{i}.txt", "n": i})
    return list(AuditEntry.objects.order_by("seq"))


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _tampered() -> str:
    with pytest.raises(CommandError) as caught:
        _verify()
    return str(caught.value)


def test_recording_builds_a_valid_chain(cast: Cast) -> None:
    entries = _record_some(cast)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (4, entries[-1].hash)
    assert audit_verify().result.ok
    assert _verify().splitlines()[0] == f"OK: 4 entries, head {entries[-1].hash}"


def test_verify_on_an_empty_trail(db: None) -> None:
    assert _verify().startswith("OK: 0 entries")


def test_verify_catches_an_edited_entry(cast: Cast) -> None:
    _record_some(cast)
    AuditEntry.objects.filter(seq=2).update(details={"file": "other.txt", "n": 1})
    assert _tampered().startswith("TAMPERED at entry 2:")


def test_verify_catches_a_deleted_entry(cast: Cast) -> None:
    _record_some(cast)
    AuditEntry.objects.filter(seq=3).delete()
    assert _tampered().startswith("TAMPERED at entry 3:")


def test_verify_catches_a_reordered_pair(cast: Cast) -> None:
    _record_some(cast)
    AuditEntry.objects.filter(seq=2).update(seq=1000)
    AuditEntry.objects.filter(seq=3).update(seq=2)
    AuditEntry.objects.filter(seq=1000).update(seq=3)
    assert _tampered().startswith("TAMPERED at entry 2:")


def test_verify_catches_truncation_through_the_head(cast: Cast) -> None:
    _record_some(cast)
    AuditEntry.objects.filter(seq=4).delete()
    message = _tampered()
    assert message.startswith("TAMPERED at entry 4:")
    assert "cut off" in message


def test_saving_an_existing_entry_again_is_refused(cast: Cast) -> None:
    entry = _record_some(cast, 1)[0]
    entry.details = {"file": "changed"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).details == {"file": "f0.txt", "n": 0}


def test_a_transition_is_recorded(cast: Cast) -> None:
    work_services.task_transition(user=cast.carol, task=cast.task_a, target="in_review", comment="done")
    entry = AuditEntry.objects.get(event="transition")
    assert entry.actor_id == cast.carol.pk
    assert entry.organisation_id == cast.org_a.pk
    assert (entry.object_type, entry.object_id) == ("task", str(cast.task_a.pk))
    assert entry.details == {"from": "in_progress", "to": "in_review", "comment": "done"}
    assert audit_verify().result.ok


def test_downloads_are_recorded(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob = client_for("bob")
    task = cast.task_a
    assert bob.get(document_url(cast.bob.pk, cast.document_a)).status_code == 200
    assert bob.get(version_url(cast.bob.pk, task.pk, cast.version_a)).status_code == 200
    entries = list(AuditEntry.objects.filter(event="download").order_by("seq"))
    assert [e.object_type for e in entries] == ["task_document", "deliverable_version"]
    download = Download.objects.get(document=cast.document_a)
    assert entries[0].details == {
        "task": task.pk,
        "file": "brief.txt",
        "sha256": "0" * 64,
        "download": download.pk,
        "watermarked": False,
        "channel": "web",
        "ip": "127.0.0.1",
    }
    assert entries[1].details["file"] == "report.txt"
    assert all(e.actor_id == cast.bob.pk and e.organisation_id == cast.org_a.pk for e in entries)


def test_an_outsider_download_is_not_recorded_as_a_download(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("document_download", args=[cast.task_a.pk, cast.document_a.pk])
    assert client_for("dave").get(url).status_code == 404
    assert not AuditEntry.objects.filter(event="download").exists()


def test_sign_in_and_failed_sign_in_are_recorded(cast: Cast) -> None:
    client = Client()
    assert client.login(username="aud", password=PASSWORD)
    assert not Client().login(username="aud", password="wrong")
    login = AuditEntry.objects.get(event="login")
    assert login.actor_id == cast.aud.pk
    assert login.organisation_id == cast.org_a.pk
    failed = AuditEntry.objects.get(event="login_failed")
    assert failed.actor_id is None
    assert failed.details["username"] == "aud"
    assert "wrong" not in str(failed.details)
    assert audit_verify().result.ok


def _a_and_b_entries(cast: Cast) -> None:
    audit(cast.bob, "transition", ("task", cast.task_a.pk), cast.org_a, {"title": cast.task_a.title})
    audit(cast.dave, "download", ("task", cast.task_b.pk), cast.org_b, {"title": "Only-B marker"})


def test_the_auditor_sees_their_organisations_entries_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _a_and_b_entries(cast)
    response = client_for("aud").get(reverse("audit_log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_A in body
    assert "Only-B marker" not in body
    filtered = client_for("aud").get(reverse("audit_log"), {"event": "download"}).content.decode()
    assert SECRET_A not in filtered


def test_only_auditors_and_operators_with_a_grant_read_entries(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _a_and_b_entries(cast)
    approved_break_glass(cast.ops, cast.org_a)
    body = client_for("ops").get(reverse("audit_log")).content.decode()
    assert SECRET_A in body
    assert "Only-B marker" not in body
    for who in ("dave", "alice", "quinn", "carol"):
        for name in ("audit_log", "audit_export"):
            response = client_for(who).get(reverse(name))
            assert response.status_code == 404, (who, name)
            assert SECRET_A not in response.content.decode()
    assert Client().get(reverse("audit_log")).status_code == 302


def test_csv_export(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _a_and_b_entries(cast)
    response = client_for("aud").get(reverse("audit_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[arg-type]
    assert rows[0][:3] == ["seq", "at", "event"]
    events = {row[2]: row for row in rows[1:]}
    assert set(events) == {"transition", "login"}  # aud's own sign-in belongs to client A too
    assert events["transition"][3] == "bob"
    assert SECRET_A in events["transition"][7]
    assert "Only-B marker" not in "".join(",".join(row) for row in rows)
