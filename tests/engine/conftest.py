"""tests/engine is pure computation: CI runs it on SQLite only, never again on PostgreSQL (.ci/run).

A test here that asks for the database is refused, so none can slip out of the PostgreSQL run; one that
does not ask cannot query it either (pytest-django blocks it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# db, transactional_db, committed_db, cast and the rest go through django_db_setup; live_server asks later
DATABASE_FIXTURES = frozenset({"django_db_setup", "live_server"})


def asks_for_the_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    offenders = [item.nodeid for item in items if HERE in item.path.parents and asks_for_the_database(item)]
    if offenders:
        raise pytest.UsageError(
            "tests/engine is for tests that never touch the database (CI skips it on PostgreSQL); "
            f"move these to the app's tests: {', '.join(offenders)}"
        )
