"""The database half of a backup: copy it out (SQLite's online backup API, or pg_dump) and back in."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from kpo.site.backups.manifest import BackupError

DUMP_NAMES = {"sqlite": "kpo.sqlite3", "postgresql": "kpo.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows the migrations themselves put in: a database holding only these is empty.
REFERENCE_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "experts.escoskill",
    "experts.escooccupation",
}
PG_TIMEOUT_S = 6 * 60 * 60


def vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"kpo backs up SQLite and PostgreSQL databases, not {connection.vendor}.")
    return connection.vendor


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """Migrations the backup's database has that this kpo does not know (the backup is from a newer kpo)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in sorted(migrations.items())
        for name in names
        if (app, name) not in known
    ]


def migrations_pending() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def holds_data() -> bool:
    """True when any table has rows beyond what the migrations put in (a blank database holds none)."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in REFERENCE_MODELS or model._meta.db_table not in tables:
            continue
        if model._default_manager.using(connection.alias).exists():
            return True
    return False


def _pg_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    sslmode = settings.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not on PATH: install PostgreSQL's client tools (the server's major version or newer)."
        )
    return found


def _run(command: list[str]) -> None:
    try:
        subprocess.run(  # noqa: S603 - a fixed tool found on PATH, arguments are ours
            command, env=_pg_environment(), check=True, capture_output=True, text=True, timeout=PG_TIMEOUT_S
        )
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or error.stdout or "").strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {' / '.join(detail[-5:]) or error}") from error
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{Path(command[0]).name} did not finish in {PG_TIMEOUT_S} seconds.") from error


def dump(folder: Path) -> Path:
    """Write a consistent copy of the database into `folder`; return its path."""
    kind = vendor()
    target = folder / DUMP_NAMES[kind]
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # one step: a consistent snapshot while others write
        copy.close()
    else:
        database = str(connection.settings_dict["NAME"])
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                database,
            ]
        )
    return target


def check_restorable(kind: str) -> None:
    """Refuse, before anything changes, a dump of another vendor or a PostgreSQL without pg_restore."""
    if kind != vendor():
        raise BackupError(
            f"The backup holds a {VENDOR_NAMES[kind]} database but kpo is configured for "
            f"{VENDOR_NAMES[vendor()]}: restore it into the same kind of database."
        )
    if kind == "postgresql":
        _pg_tool("pg_restore")


def load(dumped: Path, kind: str) -> None:
    """Replace the whole database with the dump; on failure the database is as it was."""
    check_restorable(kind)
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dumped) as source:
            source.backup(connection.connection)  # one step, in one write transaction on the target
        source.close()
    else:
        _load_postgresql(dumped)
    connection.close()


def _load_postgresql(dumped: Path) -> None:
    """pg_restore into a fresh `public` schema; the old one is kept aside until the restore has worked."""
    aside = f"kpo_before_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA public RENAME TO "{aside}"')
        cursor.execute("CREATE SCHEMA public")
        # Extensions (pg_trgm) moved with the schema; the dump expects them in public, where its
        # CREATE EXTENSION IF NOT EXISTS finds them.
        extensions = _extensions_in(cursor, aside)
        for name in extensions:
            cursor.execute(f'ALTER EXTENSION "{name}" SET SCHEMA public')
    connection.close()  # pg_restore connects on its own
    try:
        _run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dumped),
            ]
        )
    except BackupError:
        with connection.cursor() as cursor:
            for name in extensions:  # back first: dropping public must not take the old indexes along
                cursor.execute(f'ALTER EXTENSION "{name}" SET SCHEMA "{aside}"')
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute(f'ALTER SCHEMA "{aside}" RENAME TO public')
        raise
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{aside}" CASCADE')


def _extensions_in(cursor: Any, schema: str) -> list[str]:
    cursor.execute(
        "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE n.nspname = %s ORDER BY e.extname",
        [schema],
    )
    return [str(name) for (name,) in cursor.fetchall()]
