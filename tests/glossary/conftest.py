from tests.api.conftest import call, token_for  # noqa: F401  (the API fixtures, shared)
