"""Jobs for the worker's tests (the worker imports them by path, as it does any app's jobs)."""

from __future__ import annotations

from django.db import connection
from django_tasks import task

RUNS_TABLE = "ops_test_runs"


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def always_fails() -> None:
    raise RuntimeError("this job always fails")


@task()
def append_run(number: int) -> None:
    """Append `number` and the running process to a table the test created."""
    import os

    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {RUNS_TABLE} (number, pid) VALUES (%s, %s)", [number, os.getpid()])
