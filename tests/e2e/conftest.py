"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.pages import duplicate_ids
from tests.reference_data import load_reference_data

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one unless told.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "Chromium is not installed at /usr/bin/chromium; .ci/run installs it"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("KPO_REQUIRE_BROWSER") == "1":
        pytest.fail(MISSING)
    pytest.skip(MISSING)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/Copenhagen",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []  # what the Content-Security-Policy blocked: every page must work without it
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert refused == [], f"the Content-Security-Policy blocked: {refused}"


@pytest.fixture
def shot(page, request: pytest.FixtureRequest) -> Callable[[str], Path]:  # type: ignore[no-untyped-def]
    """shot("name") saves a full-page screenshot to artifacts/screenshots/<test>-<name>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def checked_shot(page, shot: Callable[[str], Path]) -> Callable[[str], Path]:  # type: ignore[no-untyped-def]
    """shot("name"), after checking that the page holds each id once (tests/pages.py)."""

    def take(name: str) -> Path:
        twice = duplicate_ids(page.content())
        assert not twice, f"ids used twice at {name}: {twice}"
        return shot(name)

    return take


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Browser tests run on a transactional database, flushed after each test: put reference data back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    load_reference_data()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data_after(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Leave the reference data in place for whatever test runs next on this database."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()
