"""Benchmark: concurrent API writers on the embedded SQLite database.

Seeds a small demo world into a throw-away data folder, starts `kpo serve` on a free loopback port, and
lets 4 and then 16 writers post messages to one task's thread through the REST API at the same time,
each with its own bearer token. Prints one JSON object: per writer count, the writes, their HTTP
statuses and the wall time. Every request goes to 127.0.0.1 only, and the run is bounded in count.

Usage: python bench/concurrent_writers.py [WRITES_PER_WRITER]   (default 60)
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

from serving import free_port, wait_for

WRITER_COUNTS = (4, 16)


def _prepare() -> tuple[int, str]:
    """Seed the world; return a task carol works on and a token of hers."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kpo.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from kpo.demo.seed import seed_demo
    from kpo.orgs.services import api_token_create
    from kpo.work.models import Task

    call_command("migrate", interactive=False, verbosity=0)
    seed_demo(now=timezone.now(), experts=20)
    carol = User.objects.get(username="carol")
    task = Task.objects.filter(assignments__expert__user=carol, status="in_progress").order_by("id").first()
    assert task is not None, "the demo world has a task in progress for carol"
    _token, plain = api_token_create(user=carol, name="bench")
    return task.pk, plain


def _writers(base: str, task_id: int, token: str, writers: int, each: int) -> dict[str, object]:
    def write(number: int) -> list[int]:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        return [
            session.post(
                f"{base}/api/tasks/{task_id}/messages",
                json={"body": f"writer {number}, message {k}"},
                timeout=60,
            ).status_code
            for k in range(each)
        ]

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(writers) as pool:
        codes = [code for codes in pool.map(write, range(writers)) for code in codes]
    statuses = Counter(codes)
    return {
        "writers": writers,
        "writes": len(codes),
        "failed": sum(count for code, count in statuses.items() if code >= 500),
        "status": {str(code): count for code, count in sorted(statuses.items())},
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    each = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as directory:
        os.environ["KPO_DATA_DIR"] = directory
        os.environ["KPO_MEDIA_ROOT"] = str(Path(directory) / "media")
        os.environ.pop("DATABASE_URL", None)
        task_id, token = _prepare()
        port = free_port()
        kpo = Path(sys.executable).with_name("kpo")
        server = subprocess.Popen(
            [str(kpo), "serve", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/login/")
            runs = [_writers(base, task_id, token, writers, each) for writers in WRITER_COUNTS]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps({"database": "sqlite", "server": "kpo serve", "runs": runs}))


if __name__ == "__main__":
    main()
