"""Fixtures shared with the API tests."""

from tests.api.conftest import call, token_for  # noqa: F401
