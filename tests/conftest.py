from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.cast import Cast, build_cast


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """A logged-in Django test client for one member of the cast: client_for("alice")."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(cast.users()[name])
        return client

    return make
