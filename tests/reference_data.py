"""The ESCO skills and occupations a data migration puts in: a transactional test's flush removes them."""

from __future__ import annotations

import importlib


def load_reference_data() -> None:
    """Reload the ESCO skills and occupations (a no-op for rows that are there)."""
    from django.apps import apps

    migration = importlib.import_module("kpo.experts.migrations.0002_load_esco")
    migration.load(apps, None)
