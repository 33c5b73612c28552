"""kpo on gunicorn, started from Python: threads in a few processes, an access log line per request,
graceful shutdown on SIGTERM/SIGINT (gunicorn's arbiter), the application loaded once before forking."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from gunicorn.app.base import BaseApplication

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int = 60
    graceful_timeout: int = 30


def uses_sqlite() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3")


def default_workers() -> int:
    """Processes: two per core (each runs Python on one core at a time; a second one per core keeps the
    core busy while the first waits on the database), capped on SQLite, whose writers take turns; on
    PostgreSQL the usual 2 x cores + 1. Measured with bench/load.py: on 2 cores and SQLite, 4 processes
    of 2 threads served 50 users with a lower p95 than 2 processes of 4 threads."""
    cores = os.cpu_count() or 1
    return min(2 * cores, 4) if uses_sqlite() else min(2 * cores + 1, 8)


def default_threads() -> int:
    return 2


def bind_address(addrport: str) -> str:
    """ADDRESS:PORT as given, or 127.0.0.1:PORT for a bare port."""
    return f"127.0.0.1:{addrport}" if addrport.isdigit() else addrport


class KpoServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        super().__init__(prog="kpo serve")

    def load_config(self) -> None:
        chosen: dict[str, Any] = {
            "bind": [self.options.bind],
            "workers": self.options.workers,
            "threads": self.options.threads,
            "worker_class": "gthread",
            "timeout": self.options.timeout,
            "graceful_timeout": self.options.graceful_timeout,
            "preload_app": True,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "proc_name": "kpo",
            "control_socket_disable": True,
        }
        for name, value in chosen.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from kpo.wsgi import application

        connections.close_all()  # loaded before forking: no process may inherit an open connection
        # What is loaded now lives as long as the processes: keep it out of the garbage collector's
        # full scans (they grew with the loaded taxonomy and slowed requests at random) and shared.
        gc.collect()
        gc.freeze()
        return application
