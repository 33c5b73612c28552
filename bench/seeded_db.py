"""A demo-world SQLite database for the Django benchmarks: reused from $KPO_BENCH_DB, or seeded once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _environment(directory: Path, database: Path) -> dict[str, str]:
    return {
        "KPO_DATA_DIR": str(directory),
        "KPO_MEDIA_ROOT": str(directory / "media"),
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "kpo.settings",
        "KPO_DEMO": "1",
    }


def _kpo(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "kpo.cli", *args]
    subprocess.run(command, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)


def prepare(database: Path, experts: int) -> dict[str, Any]:
    """Migrate (and seed, when the database is new); return how long that took."""
    directory = database.parent
    directory.mkdir(parents=True, exist_ok=True)
    env = _environment(directory, database)
    fresh = not database.exists()
    started = time.perf_counter()
    _kpo("migrate", "--verbosity", "0", env=env)
    migrated = time.perf_counter()
    if fresh:
        _kpo("seed-demo", "--experts", str(experts), env=env)
    seeded = time.perf_counter()
    os.environ.update(env)
    return {
        "database": str(database),
        "reused": not fresh,
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(seeded - migrated, 1) if fresh else 0,
    }
