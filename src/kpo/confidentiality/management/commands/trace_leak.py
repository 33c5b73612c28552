"""`kpo trace-leak FILE` (or `-` for text on standard input): name the download a leaked copy came from.

Prints the recipient, the download (who, when, which document) and a confidence, or says plainly that
there is no fingerprint (or too little of one to name anyone). Exit status: 0 when a download is
named; 1 (the message on standard error) when none is, so scripts can tell; 2 for a file that
cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kpo.confidentiality.services import leak_trace
from kpo.engine.watermark.certainty import certainty

MAX_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = "Trace a leaked copy (PDF, Word, text; or `-` for pasted text on stdin) to its download."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The leaked file, or - to read text from standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        data: bytes | str
        filename: str | None = None
        if source == "-":
            data = sys.stdin.read()
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"{source}: no such file.", returncode=2)
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MB.", returncode=2)
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{source}: {error.strerror or error}", returncode=2) from error
            filename = path.name
        report = leak_trace(data=data, filename=filename)
        result = report.result
        download = report.download
        if download is not None:
            when = timezone.localtime(download.at).strftime("%Y-%m-%d %H:%M:%S %Z")
            lines = [
                f"Recipient: {download.recipient} "
                + (
                    f"({download.user.get_username()}, {download.user.email or 'no e-mail'})"
                    if download.user is not None
                    else "(account deleted)"
                ),
                f"Download: {download.pk}, {when}, {download.get_channel_display()}"
                + (f", from {download.ip}" if download.ip else ""),
                f"Document: {download.title} ({download.file_name})"
                + (f", task {download.task_id}: {download.task.title}" if download.task else ""),
                f"Client: {download.client.name}",
                f"Confidence: {result.confidence:.6f} ({certainty(result.confidence)}: {result.detail})",
            ]
            self.stdout.write("\n".join(lines))
            return
        if result.code is not None:
            message = (
                f"A fingerprint names download {result.code}, but kpo has no record of it ({result.detail})."
            )
        elif result.candidates:
            message = f"Conflicting fingerprints ({result.detail}); no recipient named."
        elif result.fingerprint_found:
            message = (
                f"Fingerprint characters found but too damaged to name anyone ({result.detail}); "
                "not guessing."
            )
        else:
            message = "No fingerprint found: this copy does not name a recipient."
        raise CommandError(message, returncode=1)
