"""`kpo serve` runs gunicorn: it answers pages and static files, logs each request, stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.ops.conftest import free_port, kpo, wait_for

pytestmark = pytest.mark.django_db


def test_serve_answers_on_gunicorn_and_stops_cleanly_on_sigterm(
    kpo_env: dict[str, str], processes: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        kpo("serve", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"),
        env=kpo_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    processes.append(server)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz", server)
    with urllib.request.urlopen(f"{base}/login/", timeout=10) as page:
        assert page.status == 200
        assert page.headers["Server"].startswith("gunicorn")
        assert b'name="password"' in page.read()
    with urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=10) as style:
        assert style.status == 200 and b"body" in style.read()

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
    log.seek(0)
    output = log.read()
    assert "Starting gunicorn" in output and "gthread" in output
    assert "development server" not in output.lower() and "WSGIServer" not in output
    access = [line for line in output.splitlines() if '"GET /login/ HTTP/1.1" 200' in line]
    assert len(access) == 1 and access[0].endswith("ms")
    assert "Shutting down: Master" in output
