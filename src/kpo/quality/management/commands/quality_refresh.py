"""`kpo quality-refresh`: recompute every expert's cached quality score (evidence decays with age); `kpo
worker` also enqueues this daily as the `quality-refresh` periodic job."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kpo.quality.scores import quality_refresh_all


class Command(BaseCommand):
    help = "Recompute every expert's quality score from the evidence (run daily: evidence decays with age)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = quality_refresh_all()
        self.stdout.write(f"{written} quality scores written in {time.perf_counter() - started:.1f} s.")
