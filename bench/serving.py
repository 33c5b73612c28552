"""What the benchmarks that start `kpo serve` share: a port to serve on and waiting for the server."""

from __future__ import annotations

import os
import socket
import time

import requests


def free_port() -> int:
    """KPO_BENCH_PORT if set (a port you may use), else any free one."""
    if os.environ.get("KPO_BENCH_PORT"):
        return int(os.environ["KPO_BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    """Poll `url` until the server answers (below 500), or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")
