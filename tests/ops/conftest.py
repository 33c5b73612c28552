"""Fixtures of the server and worker tests: the database task backend, and a throw-away data folder
with a migrated SQLite database for `kpo` subprocesses."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from kpo.experts.models import EscoSkill
from tests.ports import free_port_in

REPO = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PORTS = range(8100, 8200)


@pytest.fixture
def database_backend(settings: pytest.FixtureRequest) -> None:
    settings.TASKS = DATABASE_BACKEND


@pytest.fixture(scope="session")
def migrated_sqlite(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A file copy of the migrated test database (SQLite's backup), or a `kpo migrate` of a new one."""
    target = tmp_path_factory.mktemp("migrated") / "kpo.sqlite3"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if connection.vendor == "sqlite" and EscoSkill.objects.exists():  # not emptied by a flush
            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            copy.close()
            return target
    subprocess.run(
        [sys.executable, "-m", "kpo.cli", "migrate", "-v0"],
        env=_env(target.parent),
        check=True,
        timeout=300,
    )
    return target


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPO_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        KPO_DATA_DIR=str(data_dir),
        KPO_SECRET_KEY="ops-tests",
        KPO_WORKER_HEARTBEAT_SECONDS="1",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def data_dir(tmp_path: Path, migrated_sqlite: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(migrated_sqlite, folder / "kpo.sqlite3")
    return folder


@pytest.fixture
def kpo_env(data_dir: Path) -> dict[str, str]:
    """The environment of a `kpo` subprocess working on `data_dir`."""
    return _env(data_dir)


def kpo(*args: str) -> list[str]:
    return [sys.executable, "-m", "kpo.cli", *args]


def free_port() -> int:
    return free_port_in(PORTS)


def wait_for(url: str, process: subprocess.Popen[str], *, status: int = 200, seconds: float = 20) -> None:
    """Poll `url` until it answers `status`; fail early if the process ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process ended with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == status:
                    return
        except urllib.error.HTTPError as error:
            if error.code == status:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {status} within {seconds} s")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; whatever is still running at its end is killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
