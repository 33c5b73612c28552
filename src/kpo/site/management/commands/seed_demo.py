"""`kpo seed-demo`: create the demo world (organisations, named accounts, experts, engagements)."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from kpo.demo.accounts import DEMO_PASSWORD
from kpo.demo.reference import DEFAULT_EXPERTS, DEFAULT_SEED, MIN_EXPERTS
from kpo.demo.seed import is_seeded, reset_demo, seed_demo
from kpo.matching.jobs import refresh_embeddings
from kpo.site.models import DemoWorld


class Command(BaseCommand):
    help = "Seed the demo world. Deterministic for a given --seed; does nothing if it is already seeded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--experts", type=int, default=DEFAULT_EXPERTS, help="How many experts to generate."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the random generator.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo world first, then seed it again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        experts: int = options["experts"]
        if experts < MIN_EXPERTS:
            raise CommandError(f"--experts must be at least {MIN_EXPERTS}.")
        if is_seeded():
            if not options["reset"]:
                if not DemoWorld.installed():  # seeded before the marker existed
                    DemoWorld.mark(seeded_at=timezone.now(), seed=options["seed"])
                self.stdout.write(
                    "The demo world is already seeded; nothing changed. Use --reset to seed it again."
                )
                return
            self.stdout.write("Deleting the existing demo world.")
            try:
                with transaction.atomic():
                    DemoWorld.unmark()
                    reset_demo()
            except (ProtectedError, RestrictedError, IntegrityError) as error:
                raise CommandError(f"Could not delete the demo world: {error}") from error
        started = time.monotonic()
        try:
            with transaction.atomic():
                written = seed_demo(
                    now=timezone.now(), experts=experts, seed=options["seed"], log=self.stdout.write
                )
                DemoWorld.mark(seeded_at=timezone.now(), seed=options["seed"])
        except (ValidationError, IntegrityError) as error:  # e.g. a named account's username is taken
            raise CommandError(f"Could not seed the demo world (nothing was written): {error}") from error
        seconds = time.monotonic() - started
        if written.get("work_samples"):
            refresh_embeddings.enqueue()
            self.stdout.write("The worker computes the experts' text embeddings from their work samples.")
        for table, count in sorted(written.items()):
            self.stdout.write(f"  {table}: {count}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the demo world in {seconds:.1f} s. Every named account's password: ")
            + DEMO_PASSWORD
        )
