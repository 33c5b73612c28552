from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from kpo.matching import affinity_index
from kpo.matching.index_cache import invalidate
from tests.pages import unique_ids_on_every_page


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """Every test starts without a process-wide expert index or stored vectors (the database is new each
    time) and in
    the default language (a request in Danish leaves Danish active in the thread)."""
    invalidate()
    affinity_index.cache().clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    invalidate()
    affinity_index.cache().clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _unique_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every page these tests get holds each id once (tests/pages.py)."""
    yield from unique_ids_on_every_page(monkeypatch)
