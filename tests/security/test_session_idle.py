"""Sessions used to last 14 days with no idle timeout: now a browser session is signed out after
KPO_SESSION_IDLE_MINUTES without a request and lasts at most KPO_SESSION_MAX_HOURS; tokens: not sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.orgs.services import api_token_create
from kpo.site.idle import LAST_SEEN
from tests.cast import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _at(start: dt.datetime, minutes: float) -> time_machine.travel:
    return time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False)


def test_an_idle_session_is_signed_out(cast: Cast, settings: Any) -> None:
    assert settings.KPO_SESSION_IDLE_MINUTES == 30
    start = timezone.now()
    with _at(start, 0):
        client = _signed_in("bob")
        assert client.get(reverse("dashboard")).status_code == 200
    with _at(start, 29):
        assert client.get(reverse("dashboard")).status_code == 200  # activity moves the idle clock on
    with _at(start, 58):
        assert client.get(reverse("dashboard")).status_code == 200
    with _at(start, 89):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in page
        assert "_auth_user_id" not in client.session


def test_last_seen_is_written_at_most_once_a_minute(cast: Cast) -> None:
    start = timezone.now()
    with _at(start, 0):
        client = _signed_in("bob")
        client.get(reverse("dashboard"))
        first = client.session[LAST_SEEN]
    with _at(start, 0.5):
        client.get(reverse("dashboard"))
        assert client.session[LAST_SEEN] == first
    with _at(start, 1.5):
        client.get(reverse("dashboard"))
        assert client.session[LAST_SEEN] > first


def test_the_idle_timeout_is_configurable(cast: Cast, settings: Any) -> None:
    settings.KPO_SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    with _at(start, 0):
        client = _signed_in("bob")
        client.get(reverse("dashboard"))
    with _at(start, 6):
        assert client.get(reverse("dashboard")).status_code == 302


def test_sessions_last_at_most_twelve_hours(cast: Cast, settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    client = _signed_in("bob")
    assert client.session.get_expiry_age() == 12 * 60 * 60


def test_api_tokens_are_not_signed_out_by_the_idle_timeout(cast: Cast) -> None:
    _token, plain = api_token_create(user=cast.alice, name="script")
    start = timezone.now()
    client = Client()
    with _at(start, 0):
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    with _at(start, 600):
        assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200


def test_a_busy_session_still_ends_after_the_maximum(cast: Cast, settings: Any) -> None:
    start = timezone.now()
    with _at(start, 0):
        client = _signed_in("bob")
        client.get(reverse("dashboard"))
    for minutes in range(20, 12 * 60, 20):  # a request every 20 minutes renews the cookie each time
        with _at(start, minutes):
            assert client.get(reverse("dashboard")).status_code == 200
    with _at(start, 12 * 60 + 10):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "Your session ended after 12 hours" in client.get(response["Location"]).content.decode()
