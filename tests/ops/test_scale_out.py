"""Scale-out on PostgreSQL: two `kpo serve` processes and two `kpo worker`s against one database.

A staffing commit raced through both servers books the expert once; a staffing run started through one
server is solved by exactly one worker; jobs enqueued once run once however many workers take them.
Runs in the PostgreSQL pass of CI (`.ci/run`); SQLite has its own two-worker test.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.ops.conftest import _env, free_port, kpo, wait_for
from tests.ops.sample_jobs import RUNS_TABLE

JOBS = 40
WEEKS = 2.0
WORLD = f"""
import json
from decimal import Decimal
from kpo.experts.models import ExpertProfile
from kpo.orgs.services import api_token_create
from kpo.staffing.models import StaffingRun
from kpo.work.models import Task
from tests.cast import build_cast

cast = build_cast()
erin = ExpertProfile.objects.get(user=cast.erin)
capacity = float(erin.weekly_capacity_hours) * {WEEKS}
hours = int(capacity * 2 / 3)  # one booking fits, two do not
runs = []
for number in range(2):
    task = Task.objects.create(
        engagement=cast.engagement_a, title=f"Study {{number}}", description="Open work.",
        effort_hours=Decimal(hours), due_at=cast.draft_a.due_at, status="submitted", created_by=cast.bob,
    )
    line = {{"task_id": task.pk, "expert_id": erin.pk, "score": 0.9, "planned_hours": float(hours)}}
    runs.append(StaffingRun.objects.create(
        provider=cast.provider_p, created_by=cast.pete, task_ids=[task.pk], status="done", progress=100,
        result={{"lines": [line], "uncovered": [], "window_weeks": {WEEKS},
                "candidates": {{str(task.pk): [{{"expert_id": erin.pk, "score": 0.9}}]}}}},
    ))
cast.draft_a.status = "submitted"
cast.draft_a.save()
_token, plain = api_token_create(user=cast.pete, name="scale-out")
print("WORLD " + json.dumps({{
    "token": plain, "runs": [run.pk for run in runs], "expert": erin.pk, "capacity": capacity,
    "provider": cast.provider_p.pk, "open_task": cast.draft_a.pk,
}}))
"""
ENQUEUE = (
    "from tests.ops.sample_jobs import append_run\n"
    f"for number in range({JOBS}):\n"
    "    append_run.enqueue(number)\n"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; .ci/run runs the suite on PostgreSQL")
    given = connection.settings_dict
    name = f"kpo_scale_out_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=given["HOST"] or "127.0.0.1",
        port=given["PORT"] or 5432,
        user=given["USER"],
        password=given["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
    host = f"{given['HOST'] or '127.0.0.1'}:{given['PORT'] or 5432}"
    yield f"postgres://{given['USER']}{password}@{host}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _api(base: str, token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as database:
        return list(database.execute(query).fetchall())


def _execute(url: str, statement: str) -> None:
    with psycopg.connect(url) as database:
        database.execute(statement)


def test_two_servers_and_two_workers_share_one_database(
    postgres_url: str, tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    env = {**_env(tmp_path), "DATABASE_URL": postgres_url}
    subprocess.run(kpo("migrate", "-v0"), env=env, check=True, timeout=600)
    seeded = subprocess.run(
        kpo("shell", "-c", WORLD), env=env, check=True, timeout=120, capture_output=True, text=True
    )
    world = json.loads(seeded.stdout.split("WORLD ", 1)[1])

    bases = []
    for _ in range(2):
        port = free_port()
        server = subprocess.Popen(
            kpo("serve", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        processes.append(server)
        wait_for(f"http://127.0.0.1:{port}/healthz", server, seconds=60)
        bases.append(f"http://127.0.0.1:{port}")
    for number in (1, 2):
        processes.append(
            subprocess.Popen(
                kpo("worker", "--worker-id", f"w{number}", "--interval", "0.2", "--no-periodic"),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        )
    wait_for(f"{bases[0]}/readyz", processes[0], seconds=60)

    # The same expert offered by two plans, committed at the same moment through the two servers.
    barrier = threading.Barrier(2)
    outcomes: list[int] = []

    def commit(base: str, run_id: int) -> None:
        status, run = _api(base, world["token"], "GET", f"/api/staffing-runs/{run_id}")
        assert status == 200, run
        lines = [{"task_id": line["task_id"], "expert_id": line["expert_id"]} for line in run["lines"]]
        barrier.wait(timeout=30)
        outcomes.append(
            _api(base, world["token"], "POST", f"/api/staffing-runs/{run_id}/commit", {"lines": lines})[0]
        )

    threads = [
        threading.Thread(target=commit, args=(base, run))
        for base, run in zip(bases, world["runs"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == [200, 409], outcomes
    (booked,) = _rows(
        postgres_url,
        f"SELECT COALESCE(SUM(planned_hours), 0) FROM work_assignment WHERE expert_id = {world['expert']}",
    )[0]
    assert 0 < float(booked) <= world["capacity"]

    # A staffing run started through one server is solved by one worker, once.
    status, run = _api(
        bases[1],
        world["token"],
        "POST",
        "/api/staffing-runs",
        {"provider_id": world["provider"], "task_ids": [world["open_task"]]},
    )
    assert status == 202, run
    deadline = time.monotonic() + 120
    while run["status"] in {"queued", "running"} and time.monotonic() < deadline:
        time.sleep(0.5)
        run = _api(bases[0], world["token"], "GET", f"/api/staffing-runs/{run['id']}")[1]
    assert run["status"] == "done", run
    solved = _rows(
        postgres_url,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'kpo.staffing.jobs.execute_staffing_run'",
    )
    assert [(status, len(workers)) for status, workers in solved] == [("SUCCESSFUL", 1)]

    # Jobs enqueued once run once, shared between the two workers.
    _execute(postgres_url, f"CREATE TABLE {RUNS_TABLE} (number INTEGER NOT NULL, pid INTEGER NOT NULL)")
    subprocess.run(kpo("shell", "-c", ENQUEUE), env=env, check=True, timeout=60)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pending = _rows(
            postgres_url,
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%append_run' AND status <> 'SUCCESSFUL'",
        )[0][0]
        if pending == 0:
            break
        time.sleep(0.5)
    runs = Counter(number for (number,) in _rows(postgres_url, f"SELECT number FROM {RUNS_TABLE}"))
    assert runs == Counter(range(JOBS))  # every job ran, none twice
    takers = _rows(
        postgres_url,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%append_run'",
    )
    assert all(len(workers) == 1 for (workers,) in takers)
