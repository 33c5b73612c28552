"""Benchmark: seed N demo experts (default 100,000) into a throw-away SQLite database.

Prints one JSON object: {"experts": N, "seconds": <seeding time>, "migrate_seconds": ..., "rows": {...}}.
Usage: python bench/seed_demo.py [N]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

DEFAULT_EXPERTS = 100_000


def run(experts: int, directory: str) -> dict[str, object]:
    os.environ["KPO_DATA_DIR"] = directory
    os.environ["KPO_MEDIA_ROOT"] = os.path.join(directory, "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{os.path.join(directory, 'bench.sqlite3')}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kpo.settings"
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from kpo.demo.reference import DEFAULT_SEED
    from kpo.demo.seed import seed_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    seed_demo(now=timezone.now(), experts=experts, seed=DEFAULT_SEED)
    seeded = time.perf_counter()
    rows = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "orgs", "experts", "work"}
        and model._meta.model_name != "permission"
    }
    connections.close_all()
    return {
        "experts": experts,
        "seconds": round(seeded - migrated, 2),
        "migrate_seconds": round(migrated - started, 2),
        "database": "sqlite",
        "rows": {label: count for label, count in sorted(rows.items()) if count},
    }


def main() -> None:
    experts = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXPERTS
    with tempfile.TemporaryDirectory(prefix="kpo-bench-") as directory:
        print(json.dumps(run(experts, directory)))


if __name__ == "__main__":
    main()
