"""Relabel ESCO skills in place with ESCO's exact preferred labels, now shipped in kpo/data (ids unchanged)."""

from importlib import import_module

from django.db import migrations

relabel = import_module("kpo.experts.migrations.0006_esco_preferred_labels").relabel


class Migration(migrations.Migration):
    dependencies = [("experts", "0009_matching_rule_indexes")]
    # Irreversible on purpose, like 0006 and 0007: the derived labels are not kept.
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
