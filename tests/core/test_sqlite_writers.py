"""Concurrent writers on the embedded SQLite database wait for each other instead of failing."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from kpo.settings import SQLITE_OPTIONS

WRITERS = 4


def _wrapper(path: Path, options: dict[str, Any]) -> BaseDatabaseWrapper:
    """A connection of its own to `path` (Django's handler fills in the other settings)."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )
    return handler["default"]


def _race(path: Path, options: dict[str, Any]) -> list[str]:
    """WRITERS threads each read, then write, in one transaction (as the audit chain's append does)."""
    setup = _wrapper(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE entry (n INTEGER)")
    setup.close()
    start = threading.Barrier(WRITERS)
    failures: list[str] = []

    def write(number: int) -> None:
        connection = _wrapper(path, options)
        try:
            start.wait(timeout=10)
            connection.ensure_connection()
            connection._start_transaction_under_autocommit()  # what atomic() does on SQLite
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM entry")
                time.sleep(0.5)  # the others begin meanwhile
                cursor.execute("INSERT INTO entry (n) VALUES (%s)", [number])
            connection.commit()
        except Exception as error:  # every failure is the finding
            failures.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def test_concurrent_writers_all_succeed_with_the_settings(tmp_path: Path, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():  # a database of its own, not the test database
        assert _race(tmp_path / "kpo.sqlite3", dict(SQLITE_OPTIONS)) == []


def test_without_immediate_transactions_they_fail(tmp_path: Path, django_db_blocker: Any) -> None:
    deferred = {key: value for key, value in SQLITE_OPTIONS.items() if key != "transaction_mode"}
    with django_db_blocker.unblock():
        failures = _race(tmp_path / "kpo.sqlite3", deferred)
    assert failures and all("locked" in failure for failure in failures)
