"""`kpo sla-check [--now ISO]`: send escalations for tasks newly at risk or breached and for dispute
steps past their deadline, each once (`kpo worker` enqueues it every 5 minutes; this runs one now)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.sla.jobs import run_sla_check


class Command(BaseCommand):
    help = "Escalate SLA clocks at risk or breached and overdue dispute steps (each once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", default="", help="Check as of this moment (ISO 8601 with a time zone); default: now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = str(options["now"] or "")
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: {now!r} is not an ISO 8601 date and time.") from error
            if moment.tzinfo is None:
                raise CommandError("--now: give a time zone, e.g. 2026-11-23T09:00:00+00:00.")
        result = run_sla_check.enqueue(now=now)
        counts = result.return_value if result.is_finished else None
        if counts is None:
            self.stdout.write(f"Queued SLA check {result.id}.")
            return
        self.stdout.write(
            "Checked {checked_tasks} open tasks: {task_escalations} task escalations, "
            "{dispute_escalations} dispute escalations, {notices} notices sent.".format(**counts)
        )
