"""An empty production install must not list demo accounts (and the shared password) on its sign-in page:
only a database that holds the demo world (its marker, written by `kpo seed-demo`) lists them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.demo.accounts import DEMO_PASSWORD
from kpo.site.management.commands import seed_demo as seed_demo_command
from kpo.site.models import DemoWorld

pytestmark = pytest.mark.django_db


def _sign_in_page() -> str:
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    return response.content.decode()


def test_kpo_demo_is_off_by_default() -> None:
    env = {key: value for key, value in os.environ.items() if key != "KPO_DEMO"}
    code = "import kpo.settings as s; print(s.DEMO_MODE)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_fresh_install_lists_no_demo_account(settings: Any) -> None:
    for demo_mode in (False, True):  # even with KPO_DEMO on, an install without the demo world lists none
        settings.DEMO_MODE = demo_mode
        body = _sign_in_page()
        assert "Demo accounts" not in body and DEMO_PASSWORD not in body and "<code>ops</code>" not in body


def test_the_demo_world_marker_lists_the_demo_accounts(settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(seed_demo_command, "is_seeded", lambda: False)
    monkeypatch.setattr(seed_demo_command, "seed_demo", lambda **kwargs: Counter(organisations=5))
    call_command("seed_demo", stdout=io.StringIO())
    assert DemoWorld.installed()
    settings.DEMO_MODE = False
    assert "Demo accounts" not in _sign_in_page()
    settings.DEMO_MODE = True
    body = _sign_in_page()
    assert "Demo accounts" in body and DEMO_PASSWORD in body


def test_resetting_the_demo_world_removes_the_marker_first(monkeypatch: Any) -> None:
    DemoWorld.mark(seeded_at=timezone.now(), seed=1)
    monkeypatch.setattr(seed_demo_command, "is_seeded", lambda: True)

    def failing_reset() -> None:
        assert not DemoWorld.installed()
        raise seed_demo_command.IntegrityError("stop")

    monkeypatch.setattr(seed_demo_command, "reset_demo", failing_reset)
    with pytest.raises(seed_demo_command.CommandError):
        call_command("seed_demo", reset=True, stdout=io.StringIO())
    assert DemoWorld.installed()  # the failed reset rolled back with its marker
