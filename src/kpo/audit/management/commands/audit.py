"""`kpo audit verify`, `kpo audit checkpoint` and `kpo audit purge`.

verify: check the audit trail's keyed hash chain against its separately kept head and the signed
checkpoints outside the database (`--checkpoints FILE`, default `KPO_AUDIT_CHECKPOINTS` or
`<data dir>/audit-checkpoints.log`). Prints "OK: N entries, head <hash>" and exits 0, or names the
first bad entry and exits 1. The result is stored for the audit page (the worker checks every hour).

checkpoint: append a signed checkpoint of the current head to the checkpoint file now (the worker
does so every 15 minutes).

purge: remove entries older than the retention period (`--days`, default `KPO_AUDIT_RETENTION_DAYS`,
seven years); the chain stays verifiable from the last removed entry. `--dry-run` only counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.audit.checkpoints import checkpoints_file
from kpo.audit.services import (
    ChainReport,
    CheckpointRefused,
    PurgeRefused,
    audit_checkpoint,
    audit_purge,
    audit_verify,
)
from kpo.audit.verification import record_verification


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify`: check every entry's keyed hash, the sequence, the chain head and "
        "the signed checkpoints. `checkpoint`: write a signed checkpoint of the head now. "
        "`purge`: remove entries past the retention period (default seven years)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["verify", "checkpoint", "purge"],
            help="What to do: verify, checkpoint or purge.",
        )
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="Verify/checkpoint: the checkpoint file (default: KPO_AUDIT_CHECKPOINTS or data folder).",
        )
        parser.add_argument("--days", type=int, default=None, help="Purge: keep this many days (at least 1).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Purge: count what would go, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "purge":
                self._purge(options["days"], options["dry_run"])
            elif options["action"] == "checkpoint":
                self._checkpoint(options["checkpoints"])
            else:
                self._verify(options["checkpoints"])
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

    def _verify(self, given: Path | None) -> None:
        if given is not None and not given.is_file():
            raise CommandError(f"--checkpoints: there is no file {given}.")
        report = audit_verify(given)
        record_verification(report)
        result = report.result
        if not result.ok:
            where = f" at entry {result.first_bad_seq}" if result.first_bad_seq is not None else ""
            raise CommandError(f"TAMPERED{where}: {result.reason}")
        floor = f" (entries up to {report.floor_seq} purged after retention)" if report.floor_seq else ""
        self.stdout.write(f"OK: {report.count} entries, head {result.head_hash}{floor}")
        self.stdout.write(self._checkpoint_line(report, given or checkpoints_file()))

    @staticmethod
    def _checkpoint_line(report: ChainReport, path: Path) -> str:
        latest = report.latest_checkpoint
        if latest is None:
            return (
                f"No checkpoints in {path}: cutting entries off the end, or rewrites by someone "
                "holding the audit key, cannot be ruled out."
            )
        return (
            f"Matches {report.checkpoints} signed checkpoints in {path}; "
            f"the latest: entry {latest.seq} at {latest.at}."
        )

    def _checkpoint(self, given: Path | None) -> None:
        try:
            checkpoint = audit_checkpoint(given)
        except CheckpointRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Checkpoint written to {given or checkpoints_file()}: entry {checkpoint.seq}, "
            f"head {checkpoint.hash}, at {checkpoint.at}."
        )

    def _purge(self, days: int | None, dry_run: bool) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            report = audit_purge(days=days, dry_run=dry_run)
        except PurgeRefused as error:
            raise CommandError(str(error)) from error
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {report.removed} entries recorded before {report.cutoff.isoformat()} "
            f"(retention {report.days} days); the chain now starts after entry {report.through_seq}."
        )
