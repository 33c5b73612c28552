"""Real worker processes on a file SQLite database: two at once run each job exactly once and enqueue
each periodic slot once; SIGTERM lets a worker stop gracefully."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.ops.conftest import kpo
from tests.ops.sample_jobs import RUNS_TABLE

pytestmark = pytest.mark.django_db
JOBS = 40
ENQUEUE = (
    "from tests.ops.sample_jobs import append_run\n"
    f"for number in range({JOBS}):\n"
    "    append_run.enqueue(number)\n"
)


def rows(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "kpo.sqlite3") as database:
        found = database.execute(query).fetchall()
    database.close()
    return found


def test_two_workers_run_each_job_exactly_once(data_dir: Path, kpo_env: dict[str, str]) -> None:
    with sqlite3.connect(data_dir / "kpo.sqlite3") as database:
        database.execute(f"CREATE TABLE {RUNS_TABLE} (number INTEGER NOT NULL, pid INTEGER NOT NULL)")
    database.close()
    subprocess.run(kpo("shell", "-c", ENQUEUE), env=kpo_env, check=True, timeout=60)

    workers = [
        subprocess.Popen(
            kpo("worker", "--batch", "--interval", "0", "--worker-id", f"w{n}"),
            env=kpo_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    runs = Counter(number for (number,) in rows(data_dir, f"SELECT number FROM {RUNS_TABLE}"))
    assert runs == Counter(range(JOBS))  # each job ran, none twice
    results = rows(data_dir, "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult")
    assert {status for _path, status, _ids in results} == {"SUCCESSFUL"}
    assert all(ids in ('["w1"]', '["w2"]') for _path, _status, ids in results)
    # both workers scheduled the periodic jobs: each slot was enqueued (and run) once
    slots = Counter(name for (name,) in rows(data_dir, "SELECT job_name FROM site_periodicslot"))
    paths = Counter(path for path, _status, _ids in results)
    assert slots["quality-refresh"] == paths["kpo.quality.jobs.refresh_quality_scores"] == 1
    assert (
        slots["sla-check"] == paths["kpo.sla.jobs.run_sla_check"] in {1, 2}
    )  # 2 only across a 5-minute edge
    assert slots["audit-checkpoint"] == paths["kpo.audit.jobs.write_audit_checkpoint"] in {1, 2}
    assert (data_dir / "audit-checkpoints.log").read_text().count("\n") == slots["audit-checkpoint"]
    assert rows(data_dir, "SELECT worker_id FROM site_workerheartbeat") == []  # both signed off


def test_a_worker_stops_gracefully_on_sigterm(data_dir: Path, kpo_env: dict[str, str]) -> None:
    worker = subprocess.Popen(
        kpo("worker", "--no-periodic", "--worker-id", "graceful"),
        env=kpo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert worker.stdout is not None
        for line in worker.stdout:
            if "Starting worker" in line:
                break
        assert rows(data_dir, "SELECT worker_id FROM site_workerheartbeat") == [("graceful",)]
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0
    assert "Worker graceful stopped." in output
    assert rows(data_dir, "SELECT worker_id FROM site_workerheartbeat") == []
