"""Copies too big to watermark during a request are prepared in the worker and fetched once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.confidentiality import downloads
from kpo.confidentiality.models import Download, PreparedCopy, PreparedCopyStatus
from kpo.confidentiality.prepared import prepared_copies_sweep, prepared_copy_make
from kpo.confidentiality.tokens import document_url
from kpo.core.file_limits import DOCX_TYPE
from kpo.demo.hostile_files import normal_docx
from kpo.engine.watermark import DocxWatermarkError, trace
from kpo.work.models import TaskDocument
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = [pytest.mark.django_db]


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def report(cast: Cast, settings: Any) -> TaskDocument:
    """A DOCX above the (lowered) threshold for the worker."""
    settings.KPO_WATERMARK_WORKER_CHARS = 1000
    document = cast.document_a
    document.original_name, document.content_type = "report.docx", DOCX_TYPE
    document.file.save("report.docx", ContentFile(normal_docx(128 * 1024)), save=True)
    return document


@pytest.fixture
def ask(client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """ask("carol", url): a GET whose on-commit callbacks (the enqueued job) run, as in production."""

    def get(name: str, url: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(name).get(url)

    return get


def _page(client: Client, copy: PreparedCopy) -> str:
    response = client.get(reverse("prepared_copy", kwargs={"copy_id": copy.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_large_copy_is_prepared_in_the_worker_then_fetched_once(
    cast: Cast, client_for: Callable[[str], Client], ask: Callable[..., Any], report: TaskDocument
) -> None:
    carol = client_for("carol")
    response = ask("carol", document_url(cast.carol.pk, report))
    copy = PreparedCopy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prepared_copy", kwargs={"copy_id": copy.pk})
    # the suite's tasks run at once, on commit: the copy is ready when the page opens
    assert copy.status == PreparedCopyStatus.READY and copy.file
    assert "It is ready" in _page(carol, copy)
    assert not AuditEntry.objects.filter(event="download").exists()  # not handed out yet
    fetched = carol.get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk}))
    assert fetched.status_code == 200 and fetched["Content-Type"] == DOCX_TYPE
    download = Download.objects.get()
    assert copy.download_id == download.pk and int(fetched["X-Kpo-Download"]) == download.pk
    assert trace(_content(fetched), filename="report.docx").code == download.pk
    assert AuditEntry.objects.get(event="download").details["download"] == download.pk
    copy.refresh_from_db()
    assert copy.status == PreparedCopyStatus.COLLECTED and not copy.file
    assert not default_storage.listdir("vault/prepared")[1]  # nothing stays behind
    again = carol.get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk}), follow=True)
    assert "already downloaded" in again.content.decode()
    assert AuditEntry.objects.filter(event="download").count() == 1


def test_the_page_says_being_prepared_until_the_worker_is_done(
    cast: Cast,
    client_for: Callable[[str], Client],
    report: TaskDocument,
    django_capture_on_commit_callbacks: Any,
) -> None:
    carol = client_for("carol")
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the worker has not run yet
        carol.get(document_url(cast.carol.pk, report))
    assert len(queued) == 1
    copy = PreparedCopy.objects.get()
    assert "being prepared" in _page(carol, copy)
    early = carol.get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk}))
    assert early.status_code == 302  # not ready: back to the page
    prepared_copy_make(copy_id=copy.pk)
    prepared_copy_make(copy_id=copy.pk)  # delivered twice: one copy
    assert len(default_storage.listdir("vault/prepared")[1]) == 1
    assert "It is ready" in _page(carol, copy)
    assert carol.get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk})).status_code == 200


def test_a_copy_that_fails_in_the_worker_says_why_and_leaves_no_download(
    cast: Cast,
    client_for: Callable[[str], Client],
    ask: Callable[..., Any],
    report: TaskDocument,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise DocxWatermarkError("the package broke while marking")

    monkeypatch.setattr(downloads, "watermark", broken)
    carol = client_for("carol")
    ask("carol", document_url(cast.carol.pk, report))
    copy = PreparedCopy.objects.get()
    assert copy.status == PreparedCopyStatus.FAILED and copy.download is None
    assert "could not be watermarked" in _page(carol, copy)
    assert not Download.objects.exists()
    denial = AuditEntry.objects.filter(event="access_denied").latest("seq")
    assert denial.details["reason"] == "watermark_failed"
    assert carol.get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk})).status_code == 302


def test_a_limit_lowered_before_the_worker_runs_is_named(
    cast: Cast, client_for: Callable[[str], Client], report: TaskDocument, settings: Any
) -> None:
    carol = client_for("carol")
    carol.get(document_url(cast.carol.pk, report))  # the job waits: on-commit callbacks do not run here
    copy = PreparedCopy.objects.get()
    settings.KPO_MAX_DOCUMENT_CHARS = 2000
    prepared_copy_make(copy_id=copy.pk)
    copy.refresh_from_db()
    assert copy.problem == "over_limit:document_chars:2000" and not Download.objects.exists()
    assert "more than 2,000 characters, the limit for one document" in _page(carol, copy)


def test_only_the_recipient_sees_a_copy_and_need_to_know_is_checked_again(
    cast: Cast,
    client_for: Callable[[str], Client],
    ask: Callable[..., Any],
    report: TaskDocument,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kpo.confidentiality.models import NdaSignature

    ask("carol", document_url(cast.carol.pk, report))
    copy = PreparedCopy.objects.get()
    for name in ("bob", "alice", "rex", "ops"):
        assert client_for(name).get(reverse("prepared_copy", kwargs={"copy_id": copy.pk})).status_code == 404
        assert (
            client_for(name).get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk})).status_code
            == 404
        )
    NdaSignature.objects.filter(signer=cast.carol).delete()
    refused = client_for("carol").get(reverse("prepared_copy_file", kwargs={"copy_id": copy.pk}))
    assert refused.status_code == 404
    assert AuditEntry.objects.filter(event="access_denied").latest("seq").details["reason"] == "nda"
    copy.refresh_from_db()
    assert copy.status == PreparedCopyStatus.READY


def test_the_api_watermarks_a_large_copy_at_once_outside_any_transaction(
    cast: Cast, call: Call, report: TaskDocument
) -> None:
    response = call("GET", f"/api/tasks/{cast.task_a.pk}/documents/{report.pk}/download", "carol")
    assert response.status_code == 200 and not PreparedCopy.objects.exists()
    assert trace(_content(response), filename="report.docx").code == Download.objects.get().pk


def test_unfetched_copies_expire(
    cast: Cast, client_for: Callable[[str], Client], ask: Callable[..., Any], report: TaskDocument
) -> None:
    ask("carol", document_url(cast.carol.pk, report))
    copy = PreparedCopy.objects.get()
    assert prepared_copies_sweep(now=copy.updated_at) == 0
    assert prepared_copies_sweep(now=copy.updated_at + dt.timedelta(days=2)) == 1
    copy.refresh_from_db()
    assert copy.status == PreparedCopyStatus.EXPIRED and not copy.file
    assert "not downloaded in time" in _page(client_for("carol"), copy)
