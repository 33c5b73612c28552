"""Hostile files fail fast: refused at upload (web and API) and again before a download is watermarked,
and watermarking runs outside any transaction, so other people's requests go on meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.confidentiality import downloads
from kpo.confidentiality.models import Download, UsedDownloadToken
from kpo.confidentiality.tokens import document_url
from kpo.core.file_limits import DOCX_TYPE
from kpo.demo.hostile_files import inflated_image_docx, long_run_docx, many_parts_docx, normal_docx
from kpo.engine.watermark import trace
from kpo.work.models import Message, TaskDocument
from tests.api.conftest import Call
from tests.cast import PASSWORD, Cast

pytestmark = [pytest.mark.django_db]

RUN_LIMIT = "longer than 100,000 characters, the limit for one run"
PART_LIMIT = "unpacks to more than 50 MB, the limit for one part"
PARTS_LIMIT = "more than 2,000 parts"
UNREADABLE = "damaged or is not the kind of file"


@pytest.fixture(scope="module")
def hostile() -> dict[str, bytes]:
    """The files of the report: an 8-million-character run, a 400 MB image (honest and lying), many parts."""
    return {
        "long_run": long_run_docx(8_000_000),
        "inflated": inflated_image_docx(400 * 1024 * 1024),
        "lying": inflated_image_docx(400 * 1024 * 1024, lying=True),
        "many_parts": many_parts_docx(5000),
    }


CASES = [
    ("long_run", RUN_LIMIT),
    ("inflated", PART_LIMIT),
    ("lying", UNREADABLE),
    ("many_parts", PARTS_LIMIT),
]
AT_DOWNLOAD = [(name, "could not be watermarked" if name == "lying" else text) for name, text in CASES]


def _denials() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event="access_denied").order_by("seq"))


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("name", "message"), CASES)
def test_the_web_form_refuses_a_hostile_upload_naming_the_limit(
    cast: Cast, client_for: Callable[[str], Client], hostile: dict[str, bytes], name: str, message: str
) -> None:
    before = TaskDocument.objects.count()
    upload = SimpleUploadedFile(f"{name}.docx", hostile[name], content_type=DOCX_TYPE)
    response = client_for("bob").post(
        reverse("task_document_upload", kwargs={"task_id": cast.task_a.pk}),
        {"doc-title": name, "doc-file": upload},
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert TaskDocument.objects.count() == before


@pytest.mark.parametrize(("name", "message"), CASES)
def test_the_api_refuses_a_hostile_upload_naming_field_and_limit(
    cast: Cast, call: Call, hostile: dict[str, bytes], name: str, message: str
) -> None:
    upload = SimpleUploadedFile(f"{name}.docx", hostile[name], content_type=DOCX_TYPE)
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/documents", "bob", data={"file": upload})
    assert 400 <= response.status_code < 500
    [error] = response.json()["errors"]
    assert error["field"] == "file" and message in error["message"]
    assert not TaskDocument.objects.filter(original_name=f"{name}.docx").exists()


def test_an_ordinary_docx_is_accepted(cast: Cast, call: Call) -> None:
    upload = SimpleUploadedFile("report.docx", normal_docx(256 * 1024), content_type=DOCX_TYPE)
    response = call("POST", f"/api/tasks/{cast.task_a.pk}/documents", "bob", data={"file": upload})
    assert response.status_code == 201 and response.json()["content_type"] == DOCX_TYPE


def _store(document: TaskDocument, name: str, data: bytes) -> TaskDocument:
    """Keep `data` as the document's file directly, as a file stored before the limits existed."""
    document.original_name, document.content_type = name, DOCX_TYPE
    document.file.save(name, ContentFile(data), save=True)
    return document


def _must_not_watermark(*args: object, **kwargs: object) -> bytes:
    raise AssertionError("a file over the limits reached the watermarker")


@pytest.mark.parametrize(("name", "message"), AT_DOWNLOAD)
def test_a_stored_hostile_file_is_refused_before_any_watermarking(
    cast: Cast,
    client_for: Callable[[str], Client],
    hostile: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    message: str,
) -> None:
    document = _store(cast.document_a, f"{name}.docx", hostile[name])
    monkeypatch.setattr(downloads, "watermark", _must_not_watermark)
    url = document_url(cast.carol.pk, document)
    carol = client_for("carol")
    response = carol.get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#documents")
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Download.objects.exists()
    denial = _denials()[-1]
    assert denial.actor_id == cast.carol.pk and denial.object_id == str(document.pk)
    if name == "lying":
        assert denial.details["reason"] == "watermark_failed"
    else:
        assert denial.details["reason"] == "over_limit" and denial.details["limit"] in {
            "run_chars",
            "part_bytes",
            "package_parts",
        }
    # the link was spent before the file was opened, and stays spent: the task page offers a fresh one
    assert UsedDownloadToken.objects.count() == 1
    again = carol.get(url)
    assert again.status_code == 403 and _denials()[-1].details["reason"] == "link_reused"
    # the client's own people get the stored file as it is (nothing to watermark)
    assert client_for("bob").get(document_url(cast.bob.pk, document)).status_code == 200


def test_the_api_refuses_a_stored_hostile_file_with_the_limit(
    cast: Cast, call: Call, hostile: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _store(cast.document_a, "long.docx", hostile["long_run"])
    monkeypatch.setattr(downloads, "watermark", _must_not_watermark)
    response = call("GET", f"/api/tasks/{cast.task_a.pk}/documents/{document.pk}/download", "carol")
    assert response.status_code == 409
    assert RUN_LIMIT in response.json()["detail"] and response.json()["errors"][0]["field"] == "file"
    assert not Download.objects.exists()


def test_a_lowered_limit_applies_to_files_already_stored(
    cast: Cast, client_for: Callable[[str], Client], settings: Any
) -> None:
    document = _store(cast.document_a, "report.docx", normal_docx(64 * 1024))
    settings.KPO_MAX_DOCUMENT_CHARS = 1000
    response = client_for("carol").get(document_url(cast.carol.pk, document), follow=True)
    assert "more than 1,000 characters, the limit for one document" in response.content.decode()
    assert _denials()[-1].details == {
        "task": cast.task_a.pk,
        "reason": "over_limit",
        "limit": "document_chars",
        "allowed": 1000,
    }


def test_a_normal_docx_is_still_watermarked_and_traced(
    cast: Cast, client_for: Callable[[str], Client]
) -> None:
    document = _store(cast.document_a, "report.docx", normal_docx(256 * 1024))
    response = client_for("carol").get(document_url(cast.carol.pk, document))
    assert response.status_code == 200
    download = Download.objects.get()
    assert download.watermarked and download.served_sha256 and download.served_sha256 != download.sha256
    assert trace(_content(response), filename="report.docx").code == download.pk
    assert AuditEntry.objects.get(event="download").details["download"] == download.pk


def test_a_copy_that_fails_to_watermark_leaves_no_download_and_a_spent_link(
    cast: Cast, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpo.engine.watermark import DocxWatermarkError

    def broken(*args: object, **kwargs: object) -> bytes:
        raise DocxWatermarkError("the package broke while marking")

    document = _store(cast.document_a, "report.docx", normal_docx(64 * 1024))
    monkeypatch.setattr(downloads, "watermark", broken)
    url = document_url(cast.carol.pk, document)
    response = client_for("carol").get(url, follow=True)
    assert "could not be watermarked" in response.content.decode()
    assert not Download.objects.exists()
    assert _denials()[-1].details["reason"] == "watermark_failed"
    assert client_for("carol").get(url).status_code == 403  # spent: a fresh link from the page works
    monkeypatch.undo()
    assert client_for("carol").get(document_url(cast.carol.pk, document)).status_code == 200


# --- other people's requests while a copy is being watermarked ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_others_sign_in_and_write_while_a_copy_is_watermarked(
    cast: Cast, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watermark of one download is held open until two other people have signed in and posted a
    message: with the watermark inside a transaction (SQLite's write lock held) their writes would fail."""
    document = _store(cast.document_a, "report.docx", normal_docx(128 * 1024))
    started, others_done = threading.Event(), threading.Event()
    real_watermark = downloads.watermark

    def slow_watermark(*args: Any, **kwargs: Any) -> bytes:
        started.set()
        others_done.wait(timeout=120)
        return real_watermark(*args, **kwargs)

    monkeypatch.setattr(downloads, "watermark", slow_watermark)
    carol = client_for("carol")
    url = document_url(cast.carol.pk, document)
    outcome: dict[str, Any] = {}

    def download() -> None:
        try:
            outcome["response"] = carol.get(url)
        except Exception as error:  # the finding, reported below
            outcome["error"] = error
        finally:
            started.set()
            connection.close()

    worker = threading.Thread(target=download)
    worker.start()
    try:
        assert started.wait(timeout=120)
        assert "error" not in outcome, outcome.get("error")
        signing_in = Client()
        signed_in = signing_in.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        assert signed_in.status_code == 302 and "_auth_user_id" in signing_in.session
        posted = signing_in.post(
            reverse("task_message", kwargs={"task_id": cast.task_a.pk}), {"msg-body": "Still here?"}
        )
        assert posted.status_code == 302
        assert Message.objects.filter(task=cast.task_a, body="Still here?", author=cast.bob).exists()
        assert not Download.objects.filter(served_sha256__gt="").exists()  # the copy is still being made
    finally:
        others_done.set()
        worker.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    response = outcome["response"]
    assert response.status_code == 200
    download = Download.objects.get()
    assert trace(_content(response), filename="report.docx").code == download.pk


def test_the_upload_check_and_the_watermark_run_outside_any_transaction(
    cast: Cast, client_for: Callable[[str], Client], call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each slow step records how many atomic blocks are open; the test's own wrapping block is the floor."""
    from kpo.work import services as work_services

    floor = len(connection.atomic_blocks)
    depths: dict[str, list[int]] = {"check": [], "watermark": []}
    real_check, real_watermark = work_services.check_upload, downloads.watermark

    def check(*args: Any, **kwargs: Any) -> Any:
        depths["check"].append(len(connection.atomic_blocks))
        return real_check(*args, **kwargs)

    def mark(*args: Any, **kwargs: Any) -> bytes:
        depths["watermark"].append(len(connection.atomic_blocks))
        return real_watermark(*args, **kwargs)

    monkeypatch.setattr(work_services, "check_upload", check)
    monkeypatch.setattr(downloads, "watermark", mark)
    upload = SimpleUploadedFile("report.docx", normal_docx(64 * 1024), content_type=DOCX_TYPE)
    created = call("POST", f"/api/tasks/{cast.task_a.pk}/documents", "bob", data={"file": upload})
    assert created.status_code == 201
    upload = SimpleUploadedFile("findings.docx", normal_docx(64 * 1024), content_type=DOCX_TYPE)
    delivered = call("POST", f"/api/tasks/{cast.task_a.pk}/deliverables", "carol", data={"file": upload})
    assert delivered.status_code == 201
    document = TaskDocument.objects.get(pk=created.json()["id"])
    assert client_for("carol").get(document_url(cast.carol.pk, document)).status_code == 200
    assert depths == {"check": [floor, floor], "watermark": [floor]}


def test_the_leak_trace_form_refuses_a_hostile_file_before_opening_it(
    cast: Cast, client_for: Callable[[str], Client], hostile: dict[str, bytes]
) -> None:
    url = reverse("leak_trace", kwargs={"organisation_id": cast.org_a.pk})
    for name, message in (("inflated", PART_LIMIT), ("many_parts", PARTS_LIMIT), ("lying", UNREADABLE)):
        upload = SimpleUploadedFile(f"{name}.docx", hostile[name])
        response = client_for("alice").post(url, {"file": upload})
        assert response.status_code == 400, name
        assert message in response.content.decode().replace("&#x27;", "'"), name
    assert not AuditEntry.objects.filter(event="leak_traced").exists()
    marked = SimpleUploadedFile("ordinary.docx", normal_docx(64 * 1024))
    assert "No fingerprint found" in client_for("alice").post(url, {"file": marked}).content.decode()


def test_tracing_a_text_of_many_sentences_stops_counting_its_windows() -> None:
    from kpo.engine.watermark.text import _MAX_PARTS, _sentence_windows

    text = " ".join(f"Sentence number {n} says something plain about the plant." for n in range(20_000))
    assert len(_sentence_windows(text)) == _MAX_PARTS + 1  # enough for the decoder to skip them
