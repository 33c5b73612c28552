"""`kpo serve [ADDRESS:PORT]`: serve kpo with Django's development server (static files via whitenoise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

DEFAULT_ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = f"Serve kpo on ADDRESS:PORT (default {DEFAULT_ADDRESS}) without auto-reloading."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS, help="ADDRESS:PORT or PORT.")

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns if it is missing
        call_command("runserver", options["addrport"], use_reloader=False)
