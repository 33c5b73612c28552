from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from kpo.matching.index_cache import invalidate


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """No process-wide expert index from another test's database, and the default language."""
    invalidate()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    invalidate()
    translation.activate(settings.LANGUAGE_CODE)
