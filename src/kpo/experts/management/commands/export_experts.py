"""`kpo export-experts [--out FILE] [--format csv|xlsx]`: export experts in the import format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.experts.exporting import write_csv, write_xlsx

FORMATS = ("csv", "xlsx")


class Command(BaseCommand):
    help = "Export every expert as CSV (to standard output by default) or XLSX, in import-experts' format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="File to write; CSV goes to standard output without it.")
        parser.add_argument(
            "--format", choices=FORMATS, help="csv or xlsx (default: from --out's suffix, else csv)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: str | None = options["out"]
        fmt: str | None = options["format"]
        if fmt is None:
            suffix = Path(out).suffix.lower().lstrip(".") if out else ""
            fmt = suffix if suffix in FORMATS else "csv"
        if fmt == "xlsx" and not out:
            raise CommandError("An .xlsx export needs --out FILE.")
        try:
            if out is None:
                count = write_csv(self.stdout)
            elif fmt == "csv":
                with open(out, "w", encoding="utf-8", newline="") as stream:
                    count = write_csv(stream)
            else:
                with open(out, "wb") as binary:
                    count = write_xlsx(binary)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
        if out:
            self.stdout.write(self.style.SUCCESS(f"Exported {count} experts to {out}."))
