"""Password guessing: 30 wrong passwords, then the right one, on the sign-in page, on /admin/ and with
bearer tokens; the account and the address stay locked (429 with Retry-After) until the cool-off ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.core.addresses import client_address
from kpo.orgs.services import api_token_create
from tests.cast import PASSWORD, Cast

pytestmark = pytest.mark.django_db
GUESSES = 30


def _guess(client: Client, url: str, username: str, password: str, **extra: Any) -> int:
    return client.post(url, {"username": username, "password": password}, **extra).status_code


def _later(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_thirty_wrong_passwords_lock_the_account_until_the_cool_off_ends(cast: Cast, settings: Any) -> None:
    client = Client()
    login = reverse("login")
    codes = [_guess(client, login, "bob", f"wrong-{n}") for n in range(GUESSES)]
    assert codes[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(codes[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    response = client.post(login, {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT, details__username="bob").exists()
    assert (
        AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, details__username="bob").count() >= GUESSES
    )
    with time_machine.travel(_later(14), tick=False):
        assert Client().post(login, {"username": "bob", "password": PASSWORD}).status_code == 429
    with time_machine.travel(_later(16), tick=False):
        response = Client().post(login, {"username": "bob", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_the_account_is_locked_from_every_address(cast: Cast, settings: Any) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        _guess(Client(), reverse("login"), "bob", "wrong", REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert _guess(Client(), reverse("login"), "bob", PASSWORD, REMOTE_ADDR="10.9.9.9") == 429
    assert _guess(Client(), reverse("login"), "alice", PASSWORD, REMOTE_ADDR="10.9.9.9") == 302


def test_the_address_is_locked_for_every_account(cast: Cast, settings: Any) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        _guess(Client(), reverse("login"), f"nobody-{n}", "wrong", REMOTE_ADDR="10.1.1.1")
    assert _guess(Client(), reverse("login"), "alice", PASSWORD, REMOTE_ADDR="10.1.1.1") == 429
    assert _guess(Client(), reverse("login"), "alice", PASSWORD, REMOTE_ADDR="10.1.1.2") == 302


def test_admin_sign_in_is_locked_too(cast: Cast, settings: Any) -> None:
    client = Client()
    url = reverse("admin:login")
    for n in range(GUESSES):
        _guess(client, url, "ops", f"wrong-{n}")
    assert _guess(client, url, "ops", PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_failed_bearer_tokens_lock_the_address(cast: Cast, settings: Any) -> None:
    _token, plain = api_token_create(user=cast.alice, name="script")
    client = Client()
    codes = [
        client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer kpo_wrong{n}").status_code for n in range(GUESSES)
    ]
    assert codes[0] == 401 and codes[-1] == 429
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, details__via="api_token").exists()
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many failed" in response.json()["detail"]
    other = Client(REMOTE_ADDR="10.2.2.2")
    assert other.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    with time_machine.travel(_later(16), tick=False):
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200


def test_limits_come_from_the_environment(cast: Cast, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=2)
    client = Client()
    assert [_guess(client, reverse("login"), "bob", "wrong") for _ in range(3)] == [200, 200, 429]
    with time_machine.travel(_later(3), tick=False):
        assert _guess(client, reverse("login"), "bob", PASSWORD) == 302


def test_behind_proxies_the_address_is_the_one_the_outermost_proxy_saw(settings: Any, rf: Any) -> None:
    forwarded = "6.6.6.6, 203.0.113.7, 10.0.0.2"
    request = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=forwarded)
    settings.KPO_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.3"
    settings.KPO_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.7"  # the client's own claim (6.6.6.6) is not trusted
    settings.KPO_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.2"


def test_a_spoofed_forwarded_header_does_not_escape_the_lock_behind_a_proxy(
    cast: Cast, settings: Any
) -> None:
    settings.KPO_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        header = f"198.51.100.{n}, 203.0.113.7"  # the attacker varies its claim; the proxy appends the truth
        _guess(Client(), reverse("login"), f"nobody-{n}", "wrong", HTTP_X_FORWARDED_FOR=header)
    blocked = _guess(
        Client(), reverse("login"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert blocked == 429
    assert _guess(Client(), reverse("login"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8") == 302


def test_a_completed_password_reset_unlocks_the_account(cast: Cast, settings: Any) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        _guess(Client(), reverse("login"), "bob", "wrong", REMOTE_ADDR=f"10.3.0.{n + 1}")
    assert _guess(Client(), reverse("login"), "bob", PASSWORD, REMOTE_ADDR="10.3.1.1") == 429
    uidb64 = urlsafe_base64_encode(force_bytes(cast.bob.pk))
    client = Client(REMOTE_ADDR="10.3.1.1")
    link = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(cast.bob)},
    )
    form_url = client.get(link)["Location"]
    new = "a-fresh-Passphrase-93"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert _guess(Client(), reverse("login"), "bob", new, REMOTE_ADDR="10.3.1.1") == 302
