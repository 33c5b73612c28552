"""`kpo audit verify`: check the audit trail's hash chain against its separately kept head.

Prints "OK: N entries, head <hash>" and exits 0, or names the first bad entry and exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `verify`: check every entry's hash, the sequence and the chain head."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="What to do: verify.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.result.ok:
            raise CommandError(f"TAMPERED at entry {report.result.first_bad_seq}: {report.result.reason}")
        self.stdout.write(f"OK: {report.count} entries, head {report.result.head_hash}")
