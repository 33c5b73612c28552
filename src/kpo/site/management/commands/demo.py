"""`kpo demo`: migrate, seed the demo world if it is not there yet, and serve it with one worker.

Ctrl-C or SIGTERM stops both: the server shuts down gracefully, then the worker is asked to stop (it
finishes the job it is running) and waited for."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.demo.reference import DEFAULT_EXPERTS, DEFAULT_SEED
from kpo.site.management.commands.serve import DEFAULT_ADDRESS

WORKER_STOP_SECONDS = 60


def start_worker() -> subprocess.Popen[bytes]:
    """`kpo worker` as a child in its own session: Ctrl-C in the terminal reaches only this command,
    which then stops the worker once, gracefully."""
    return subprocess.Popen(
        [sys.executable, "-m", "kpo.cli", "worker", "--stop-with-parent"], start_new_session=True
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Prepare the demo (migrate, seed) and serve it with one worker. Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS, help="ADDRESS:PORT to serve on.")
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and seed.")
        parser.add_argument("--experts", type=int, default=DEFAULT_EXPERTS, help="Experts to generate.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the random generator.")
        parser.add_argument("--workers", type=int, default=None, help="Server processes (see kpo serve).")
        parser.add_argument("--threads", type=int, default=None, help="Threads per process (see kpo serve).")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1), stdout=self.stdout)
        call_command("seed_demo", experts=options["experts"], seed=options["seed"], stdout=self.stdout)
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            where = f" at {account.organisation_name}" if account.organisation_name else ""
            self.stdout.write(f"  {account.username:<6} {account.role}{where}")
        if options["no_serve"]:
            return
        self.stdout.flush()
        settings.DEMO_MODE = True  # the server below lists the demo accounts (kpo.site.views)
        previous = signal.signal(signal.SIGTERM, _exit_on_signal)  # until the server takes over
        worker = start_worker()
        try:
            call_command("serve", options["addrport"], workers=options["workers"], threads=options["threads"])
        finally:
            stop_worker(worker)
            signal.signal(signal.SIGTERM, previous)
