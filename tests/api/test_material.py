"""Documents, deliverables (multipart uploads), time entries and messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kpo.work.models import DeliverableVersion, Message, TaskDocument, TimeEntry
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def _file(
    data: bytes = b"# Findings\nThroughput up 12 %.\n", name: str = "findings.md"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _stored_files() -> int:
    root = Path(django_settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_upload_and_download_a_document(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}/documents"
    response = call("POST", base, "bob", data={"title": "Spec", "file": _file(PDF, "spec.pdf")})
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Spec" and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF) and len(body["sha256"]) == 64 and body["uploaded_by"] == "bob"
    # this stub PDF cannot be watermarked, so it is not released to the provider side
    refused = call("GET", f"{base}/{body['id']}/download", "carol")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "file"
    download = call("GET", f"{base}/{body['id']}/download", "bob")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="spec.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    untitled = call("POST", base, "bob", data={"file": _file()})
    assert untitled.status_code == 201 and untitled.json()["title"] == "findings.md"


@pytest.mark.parametrize(
    ("who", "data", "status", "field"),
    [
        ("bob", {"title": "Virus", "file": ("report.pdf", EXE)}, 409, "file"),
        ("bob", {"title": "Script", "file": ("run.exe", b"plain text")}, 409, "file"),
        ("bob", {"title": "Empty", "file": ("empty.txt", b"")}, None, "file"),
        ("bob", {"title": "No file"}, 422, "file"),
        ("bob", {"title": "x" * 201, "file": ("a.txt", b"text")}, 422, "title"),
        ("bob", {"title": "nul\x00", "file": ("a.txt", b"text")}, 422, "title"),
        ("bob", {"title": "Long name", "file": ("é" * 120 + ".txt", b"text")}, 422, "file"),
        ("carol", {"title": "Expert", "file": ("a.txt", b"text")}, 409, "__all__"),
        ("aud", {"title": "Auditor", "file": ("a.txt", b"text")}, 409, "__all__"),
        ("dave", {"title": "Stranger", "file": ("a.txt", b"text")}, 404, None),
    ],
)
def test_bad_document_upload_writes_nothing(
    cast: Cast, call: Call, who: str, data: dict[str, Any], status: int | None, field: str | None
) -> None:
    if "file" in data:
        name, content = data["file"]
        data = {**data, "file": _file(content, name)}
    before = (TaskDocument.objects.count(), _stored_files())
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/documents", who, data=data)
    assert response.status_code == status if status else 400 <= response.status_code < 500
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}
    assert (TaskDocument.objects.count(), _stored_files()) == before


def test_upload_over_the_size_limit(cast: Cast, call: Call, settings: Any) -> None:
    settings.KPO_MAX_UPLOAD_BYTES = 1024
    before = (TaskDocument.objects.count(), DeliverableVersion.objects.count(), _stored_files())
    big = _file(b"a" * 2048, "big.txt")
    document = call("POST", f"/api/tasks/{cast.task_a.pk}/documents", "bob", data={"file": big})
    assert document.status_code == 409
    assert document.json()["errors"] == [{"field": "file", "message": document.json()["detail"]}]
    assert "larger than" in document.json()["detail"]
    big = _file(b"a" * 2048, "big.txt")
    version = call("POST", f"/api/tasks/{cast.task_a.pk}/deliverables", "carol", data={"file": big})
    assert version.status_code == 409 and version.json()["errors"][0]["field"] == "file"
    assert (TaskDocument.objects.count(), DeliverableVersion.objects.count(), _stored_files()) == before


def test_deliverables_and_versions(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}/deliverables"
    first = call("POST", base, "carol", data={"title": "Findings", "note": "First cut", "file": _file()})
    assert first.status_code == 201
    deliverable = first.json()
    assert deliverable["title"] == "Findings" and deliverable["created_by"] == "carol"
    assert [v["number"] for v in deliverable["versions"]] == [1]
    assert deliverable["versions"][0]["content_type"] == "text/markdown"
    second = call(
        "POST",
        base,
        "carol",
        data={"deliverable_id": deliverable["id"], "note": "v2", "file": _file(PDF, "findings.pdf")},
    )
    assert second.status_code == 201
    versions = second.json()["versions"]
    assert [v["number"] for v in versions] == [1, 2] and versions[1]["note"] == "v2"
    download = call("GET", f"{base}/{deliverable['id']}/versions/{versions[1]['id']}/download", "bob")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    listed = call("GET", base, "bob").json()
    assert listed["count"] == 2


@pytest.mark.parametrize(
    ("who", "deliverable", "status", "field"),
    [
        ("carol", 999_999_999, 422, "deliverable_id"),
        ("carol", "other-task", 422, "deliverable_id"),
        ("carol", "zero", 422, "deliverable_id"),
        ("bob", None, 409, "__all__"),
        ("rex", None, 409, "__all__"),
        ("erin", None, 404, None),
    ],
)
def test_bad_deliverable_upload_writes_nothing(
    cast: Cast, call: Call, who: str, deliverable: Any, status: int, field: str | None
) -> None:
    data: dict[str, Any] = {"file": _file()}
    if deliverable == "other-task":
        other = cast.draft_a.deliverables.create(title="Elsewhere", created_by=cast.carol)
        data["deliverable_id"] = other.pk
    elif deliverable == "zero":
        data["deliverable_id"] = 0
    elif deliverable is not None:
        data["deliverable_id"] = deliverable
    before = (DeliverableVersion.objects.count(), _stored_files())
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/deliverables", who, data=data)
    assert response.status_code == status
    if field:
        assert response.json()["errors"][0]["field"] == field
    assert (DeliverableVersion.objects.count(), _stored_files()) == before


def test_time_entries(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}/time-entries"
    created = call("POST", base, "carol", json={"date": "2026-11-03", "hours": 2.5, "description": "Study"})
    assert created.status_code == 201
    assert created.json()["hours"] == "2.50" and created.json()["expert"]["name"] == "Carol Expert"
    assert call("GET", base, "bob").json()["count"] == 2


@pytest.mark.parametrize(
    ("who", "changes", "status", "field"),
    [
        ("carol", {"hours": "25"}, 422, "hours"),
        ("carol", {"hours": "0.1"}, 422, "hours"),
        ("carol", {"hours": "1.005"}, 422, "hours"),
        ("carol", {"date": "yesterday"}, 422, "date"),
        ("carol", {"description": ""}, 422, "description"),
        ("carol", {"description": "x" * 501}, 422, "description"),
        ("carol", {"description": "\x00"}, 422, "description"),
        ("bob", {}, 409, "__all__"),
        ("aud", {}, 409, "__all__"),
        ("dave", {}, 404, None),
    ],
)
def test_bad_time_entry_writes_nothing(
    cast: Cast, call: Call, who: str, changes: dict[str, Any], status: int, field: str | None
) -> None:
    payload = {"date": "2026-11-03", "hours": "1", "description": "Study", **changes}
    before = TimeEntry.objects.count()
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/time-entries", who, json=payload)
    assert response.status_code == status
    if field:
        assert response.json()["errors"][0]["field"] == field
    assert TimeEntry.objects.count() == before


def test_messages(cast: Cast, call: Call) -> None:
    base = f"/api/tasks/{cast.task_a.pk}/messages"
    created = call("POST", base, "bob", json={"body": " Thanks! "})
    assert created.status_code == 201 and created.json()["body"] == "Thanks!"
    assert created.json()["author"] == "bob" and created.json()["author_name"] == "Bob Requester"
    assert call("GET", base, "carol").json()["count"] == 2


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [("bob", "", 422), ("bob", "   ", 422), ("bob", "a\x00b", 422), ("aud", "hi", 409), ("dave", "hi", 404)],
)
def test_bad_message_writes_nothing(cast: Cast, call: Call, who: str, body: str, status: int) -> None:
    before = Message.objects.count()
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/messages", who, json={"body": body})
    assert response.status_code == status
    assert Message.objects.count() == before
