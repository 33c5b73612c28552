"""E-mail through a real SMTP server started by the test (aiosmtpd on a free local port), and what
happens when no server answers: the job raises, so the worker retries, and the request still succeeds."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from django.urls import reverse
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from kpo.core.jobs import send_email
from kpo.notices.models import Notice, NoticePreferences
from tests.cast import Cast
from tests.ports import free_port_in
from tests.smtp import BASE, SENDER, Inbox, running_smtp_server, smtp_settings

pytestmark = pytest.mark.django_db
PORTS = range(8325, 8400)  # the SMTP test servers' share of this project's ports


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    with running_smtp_server(settings, PORTS) as inbox:
        yield inbox


@pytest.fixture
def finished_jobs() -> Iterator[list[TaskResult[Any]]]:
    results: list[TaskResult[Any]] = []

    def keep(sender: object, task_result: TaskResult[Any], **kwargs: object) -> None:
        results.append(task_result)

    task_finished.connect(keep)
    yield results
    task_finished.disconnect(keep)


def _header(message: Message, name: str) -> str:
    return str(make_header(decode_header(message[name])))


def _part(message: Message, content_type: str) -> str:
    for part in message.walk():
        if part.get_content_type() == content_type:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no {content_type} part")


def test_a_task_email_reaches_the_smtp_server_with_its_headers_and_body(
    cast: Cast, client_for: Any, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    NoticePreferences.objects.create(user=cast.carol, language="da")
    cast.task_a.status = "delivered"
    cast.task_a.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("bob").post(
            reverse("task_transition", kwargs={"task_id": cast.task_a.pk}),
            {"status": "changes_requested", "comment": "Table 3 is off."},
        )
    assert response.status_code == 302
    by_recipient = {tuple(e.rcpt_tos): e for e in smtp_server.envelopes}
    assert set(by_recipient) == {(cast.carol.email,), (cast.pete.email,)}
    envelope = by_recipient[(cast.carol.email,)]
    assert envelope.mail_from == "noreply@kpo.example.org"
    message = email.message_from_bytes(bytes(envelope.original_content or b""))
    assert _header(message, "Subject") == f"[kpo] Ændringer ønsket: {cast.task_a.title}"
    assert _header(message, "To") == cast.carol.email and _header(message, "From") == SENDER
    assert message.get_content_type() == "multipart/alternative" and message["Message-ID"]
    text = _part(message, "text/plain")
    link = f"{BASE}{reverse('task_detail', kwargs={'task_id': cast.task_a.pk})}"
    assert text.startswith("Hej Carol") and link in text and "Table 3" not in text
    assert f'href="{link}"' in _part(message, "text/html")


def test_an_invitation_reaches_the_smtp_server(
    cast: Cast, client_for: Any, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("alice").post(
            reverse("invitation_create", kwargs={"organisation_id": cast.org_a.pk}),
            {"invite-email": "nina@example.com", "invite-role": "requester"},
        )
    assert response.status_code == 200
    (message,) = smtp_server.messages()
    assert _header(message, "To") == "nina@example.com" and cast.org_a.name in _header(message, "Subject")
    assert response.context["new_link"] in _part(message, "text/plain")


def test_a_refused_connection_makes_the_job_raise(settings: Any) -> None:
    smtp_settings(settings, free_port_in(PORTS))  # nothing listens there
    with pytest.raises(OSError):
        send_email.call(to=["pete@example.com"], subject="Hello", body="Anyone there?")


def test_the_request_succeeds_while_the_mail_server_is_down(
    cast: Cast,
    client_for: Any,
    settings: Any,
    finished_jobs: list[TaskResult[Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    smtp_settings(settings, free_port_in(PORTS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("bob").post(
            reverse("task_transition", kwargs={"task_id": cast.draft_a.pk}), {"status": "submitted"}
        )
    assert response.status_code == 302
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.status == "submitted"
    assert Notice.objects.filter(user=cast.pete, kind="task_submitted").exists()
    (job,) = finished_jobs
    assert job.task.name == "send_email" and job.status == TaskResultStatus.FAILED  # the worker retries it
    assert job.errors[0].exception_class_path.endswith("ConnectionRefusedError")
