"""There was no password reset: now Django's reset views send a one-time link through kpo's mail path (a
real SMTP server started here), never say whether an address has an account, are bounded per account per
hour, and the new password is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry, AuditEvent
from tests.cast import PASSWORD, Cast
from tests.smtp import Inbox, running_smtp_server

pytestmark = pytest.mark.django_db
PORTS = range(8440, 8480)
NEW_PASSWORD = "a-fresh-Passphrase-93"
LINK = re.compile(r"https://kpo\.example\.org(/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    with running_smtp_server(settings, PORTS) as inbox:
        yield inbox


def _text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def _request_reset(client: Client, address: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": address})


def test_reset_by_email_end_to_end(
    cast: Cast, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    response = _request_reset(client, cast.bob.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    (message,) = smtp_server.messages()
    assert message["To"] == cast.bob.email
    found = LINK.search(_text(message))
    assert found is not None
    response = client.get(found.group(1))
    assert response.status_code == 302  # Django moves the token out of the address into the session
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert client.get(found.group(1)).context["validlink"] is False  # the link works once
    signed_in = Client()
    assert signed_in.post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code == 200
    response = signed_in.post(reverse("login"), {"username": "bob", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    changed = AuditEntry.objects.get(event=AuditEvent.PASSWORD_CHANGED)
    assert changed.actor_id == cast.bob.pk and changed.details["how"] == "reset"
    assert AuditEntry.objects.filter(
        event=AuditEvent.PASSWORD_RESET_REQUESTED, object_id=str(cast.bob.pk)
    ).exists()


def test_the_answer_does_not_reveal_whether_an_address_has_an_account(
    cast: Cast, smtp_server: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    known = _request_reset(Client(), cast.bob.email, django_capture_on_commit_callbacks)
    unknown = _request_reset(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m["To"] for m in smtp_server.messages()] == [cast.bob.email]


def test_reset_requests_are_bounded_per_account_per_hour(
    cast: Cast, smtp_server: Inbox, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    for _ in range(settings.KPO_PASSWORD_RESETS_PER_HOUR + 3):
        response = _request_reset(Client(), cast.bob.email, django_capture_on_commit_callbacks)
        assert response.status_code == 302
    assert len(smtp_server.messages()) == settings.KPO_PASSWORD_RESETS_PER_HOUR


def test_the_reset_pages_speak_danish(cast: Cast) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert "Nulstil din adgangskode" in client.get(reverse("password_reset")).content.decode()


def test_a_password_change_is_audited(cast: Cast, client_for: Any) -> None:
    response = client_for("bob").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    changed = AuditEntry.objects.get(event=AuditEvent.PASSWORD_CHANGED)
    assert changed.actor_id == cast.bob.pk and changed.details["how"] == "change"


def test_bad_input_names_the_field_and_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.core import mail
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    response = _request_reset(Client(), "not an address", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert mail.outbox == []

    client = Client()
    uid = urlsafe_base64_encode(force_bytes(cast.bob.pk))
    token = default_token_generator.make_token(cast.bob)
    form_page = client.get(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    assert form_page.status_code == 302  # to the same page without the token in its address
    response = client.post(
        form_page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    cast.bob.refresh_from_db()
    assert cast.bob.check_password(PASSWORD)
