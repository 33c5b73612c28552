"""`kpo demo` starts the server and one worker with one command, and SIGTERM stops both."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.ops.conftest import free_port, kpo, wait_for

pytestmark = pytest.mark.django_db


def test_demo_serves_with_a_worker_and_stops_both(
    data_dir: Path, kpo_env: dict[str, str], processes: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    port = free_port()
    log = (tmp_path / "demo.log").open("w+")
    demo = subprocess.Popen(
        kpo("demo", f"127.0.0.1:{port}", "--experts", "12", "--workers", "1", "--threads", "2"),
        env=kpo_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    processes.append(demo)
    wait_for(f"http://127.0.0.1:{port}/readyz", demo, seconds=90)  # ready: the worker's heartbeat is fresh
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as ready:
        assert json.load(ready) == {"status": "ready", "database": "ok", "worker": "ok"}
    with sqlite3.connect(data_dir / "kpo.sqlite3") as database:
        ((worker_pid,),) = database.execute("SELECT pid FROM site_workerheartbeat").fetchall()
    database.close()

    demo.send_signal(signal.SIGTERM)
    assert demo.wait(timeout=60) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # the worker was stopped and waited for
    log.seek(0)
    output = log.read()
    assert "Shutting down: Master" in output and "stopped." in output
