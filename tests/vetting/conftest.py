from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from kpo.matching.index_cache import invalidate
from tests.api.conftest import call, token_for  # noqa: F401  (the API fixtures, for test_api)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    invalidate()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    invalidate()
    translation.activate(settings.LANGUAGE_CODE)
