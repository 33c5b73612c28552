"""`kpo audit verify` and `kpo audit purge`.

verify: check the audit trail's hash chain against its separately kept head. Prints "OK: N entries,
head <hash>" and exits 0, or names the first bad entry and exits 1.

purge: remove entries older than the retention period (`--days`, default `KPO_AUDIT_RETENTION_DAYS`,
seven years); the chain stays verifiable from the last removed entry. `--dry-run` only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.audit.services import PurgeRefused, audit_purge, audit_verify


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify`: check every entry's hash, the sequence and the chain head. "
        "`purge`: remove entries past the retention period (default seven years)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "purge"], help="What to do: verify or purge.")
        parser.add_argument("--days", type=int, default=None, help="Purge: keep this many days (at least 1).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Purge: count what would go, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            self._purge(options["days"], options["dry_run"])
            return
        report = audit_verify()
        if not report.result.ok:
            raise CommandError(f"TAMPERED at entry {report.result.first_bad_seq}: {report.result.reason}")
        floor = f" (entries up to {report.floor_seq} purged after retention)" if report.floor_seq else ""
        self.stdout.write(f"OK: {report.count} entries, head {report.result.head_hash}{floor}")

    def _purge(self, days: int | None, dry_run: bool) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            report = audit_purge(days=days, dry_run=dry_run)
        except (PurgeRefused, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {report.removed} entries recorded before {report.cutoff.isoformat()} "
            f"(retention {report.days} days); the chain now starts after entry {report.through_seq}."
        )
