"""`kpo serve [ADDRESS:PORT]`: serve kpo on gunicorn (threads in a few processes, static files through
whitenoise); `--dev` runs Django's auto-reloading development server instead."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.site.server import KpoServer, ServerOptions, bind_address, default_threads, default_workers

DEFAULT_ADDRESS = "127.0.0.1:8000"


def _count(name: str, value: int | None, env: str, default: int) -> int:
    if value is None:
        configured = os.environ.get(env, "").strip()
        if not configured:
            return default
        if not configured.isdigit():
            raise CommandError(f"{env}: give a whole number above zero, not {configured!r}.")
        value = int(configured)
    if value < 1:
        raise CommandError(f"--{name}: give a whole number above zero.")
    return value


class Command(BaseCommand):
    help = f"Serve kpo on ADDRESS:PORT (default {DEFAULT_ADDRESS}) with gunicorn; --dev for runserver."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS, help="ADDRESS:PORT or PORT.")
        parser.add_argument(
            "--workers", type=int, default=None, help="Processes (default KPO_WEB_WORKERS, else from cores)."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Threads per process (default KPO_WEB_THREADS, else 4/2).",
        )
        parser.add_argument(
            "--dev", action="store_true", help="Django's development server, reloading on code changes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dev"]:
            call_command("runserver", options["addrport"])
            return
        server = KpoServer(
            ServerOptions(
                bind=bind_address(options["addrport"]),
                workers=_count("workers", options["workers"], "KPO_WEB_WORKERS", default_workers()),
                threads=_count("threads", options["threads"], "KPO_WEB_THREADS", default_threads()),
            )
        )
        server.run()
