from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pages import unique_ids_on_every_page


@pytest.fixture(autouse=True)
def _unique_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every page these tests get holds each id once (tests/pages.py)."""
    yield from unique_ids_on_every_page(monkeypatch)
