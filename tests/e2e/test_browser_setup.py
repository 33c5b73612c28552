"""The browser fixture skips with one clear reason without Chromium, or fails when CI requires a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import conftest


def test_missing_chromium_skips_with_one_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.delenv("KPO_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed at /usr/bin/chromium"):
        conftest._require_chromium()


def test_missing_chromium_fails_when_a_browser_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setenv("KPO_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"\.ci/run installs it"):
        conftest._require_chromium()
