"""API tokens (issue 14, item 8): they expire, a read-only one cannot write, a password change revokes them
and a bearer token cannot mint new tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kpo.orgs.models import ApiToken
from kpo.orgs.services import api_token_create
from tests.api.conftest import Call, call, token_for  # noqa: F401  (the API fixtures)
from tests.cast import PASSWORD, Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_a_bearer_token_cannot_create_tokens(cast: Cast, call: Call, token_for: Callable[[str], str]) -> None:  # noqa: F811
    token_for("bob")
    before = ApiToken.objects.count()
    refused = call("POST", "/api/tokens", "bob", json={"name": "minted"})
    assert refused.status_code == 403
    assert "API token cannot create tokens" in refused.json()["detail"]
    assert ApiToken.objects.count() == before


def test_a_signed_in_session_still_creates_tokens(cast: Cast, client_for: Any) -> None:
    made = client_for("bob").post("/api/tokens", data={"name": "laptop"}, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["read_only"] is False


def test_a_new_token_expires_after_the_configured_days(cast: Cast, client_for: Any, settings: Any) -> None:
    settings.KPO_TOKEN_DAYS = 30
    body = client_for("bob").post("/api/tokens", data={"name": "ci"}, content_type="application/json").json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)
    listed = client_for("bob").get("/api/tokens").json()["items"]
    assert {item["id"]: item["expires_at"] for item in listed}[body["id"]] == body["expires_at"]


def test_the_default_lifetime_is_ninety_days(cast: Cast) -> None:
    token, _plain = api_token_create(user=cast.bob, name="default")
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)


def test_an_expired_token_answers_401_with_a_clear_message(cast: Cast, call: Call) -> None:  # noqa: F811
    token, plain = api_token_create(user=cast.bob, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = call("GET", "/api/me", None, token=plain)
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    assert call("GET", "/api/engagements", None, token=plain).status_code == 401


def test_a_read_only_token_reads_but_cannot_write(cast: Cast, call: Call) -> None:  # noqa: F811
    _token, plain = api_token_create(user=cast.bob, name="reports", read_only=True)
    assert call("GET", "/api/me", None, token=plain).status_code == 200
    own, _ = api_token_create(user=cast.bob, name="victim")
    refused = call("DELETE", f"/api/tokens/{own.pk}", None, token=plain)
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    own.refresh_from_db()
    assert own.revoked_at is None
    patched = call(
        "PUT", "/api/me/email-preferences", None, token=plain, json={"language": "da", "categories": []}
    )
    assert patched.status_code == 403


def test_a_read_only_token_can_be_made_in_the_api_and_on_the_page(cast: Cast, client_for: Any) -> None:
    browser = client_for("bob")
    body = browser.post(
        "/api/tokens", data={"name": "ro", "read_only": True}, content_type="application/json"
    ).json()
    assert body["read_only"] is True and ApiToken.objects.get(pk=body["id"]).read_only
    page = browser.post("/tokens/", {"name": "ro page", "read_only": "on"})
    assert page.status_code == 200
    assert ApiToken.objects.get(name="ro page").read_only


def test_the_tokens_page_shows_expiry_and_scope(cast: Cast, client_for: Any) -> None:
    api_token_create(user=cast.bob, name="shown", read_only=True)
    page = client_for("bob").get("/tokens/").content.decode()
    assert "Expires" in page and "read-only" in page and "90 days" in page


@pytest.mark.parametrize("how", ["set_password", "page"])
def test_a_password_change_revokes_every_token(cast: Cast, call: Call, how: str) -> None:  # noqa: F811
    token, plain = api_token_create(user=cast.bob, name="script")
    other, _ = api_token_create(user=cast.alice, name="alice's")
    if how == "set_password":
        cast.bob.set_password("a-new-password-2")
        cast.bob.save()
    else:
        browser = Client()
        browser.force_login(cast.bob)
        changed = browser.post(
            "/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-pass-w0rd",
                "new_password2": "a-new-pass-w0rd",
            },
        )
        assert changed.status_code == 302
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None and other.revoked_at is None
    assert call("GET", "/api/me", None, token=plain).status_code == 401


def test_saving_a_user_without_a_new_password_keeps_the_tokens(cast: Cast) -> None:
    token, _ = api_token_create(user=cast.bob, name="script")
    cast.bob.first_name = "Robert"
    cast.bob.save()
    cast.bob.save(update_fields=["last_login"])
    token.refresh_from_db()
    assert token.revoked_at is None
