"""`kpo demo`: migrate, seed the demo world if it is not there yet, and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from kpo.demo.reference import DEFAULT_EXPERTS, DEFAULT_SEED
from kpo.site.management.commands.serve import DEFAULT_ADDRESS


class Command(BaseCommand):
    help = "Prepare the demo (migrate, seed) and serve it. Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS, help="ADDRESS:PORT to serve on.")
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and seed.")
        parser.add_argument("--experts", type=int, default=DEFAULT_EXPERTS, help="Experts to generate.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the random generator.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1), stdout=self.stdout)
        call_command("seed_demo", experts=options["experts"], seed=options["seed"], stdout=self.stdout)
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            where = f" at {account.organisation_name}" if account.organisation_name else ""
            self.stdout.write(f"  {account.username:<6} {account.role}{where}")
        if not options["no_serve"]:
            call_command("serve", options["addrport"])
