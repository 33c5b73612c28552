"""Relabel ESCO concepts in place with the labels of the whole-run segmentation (ids unchanged)."""

from importlib import import_module

from django.db import migrations

relabel = import_module("kpo.experts.migrations.0006_esco_preferred_labels").relabel


class Migration(migrations.Migration):
    dependencies = [("experts", "0006_esco_preferred_labels")]
    # Irreversible on purpose, like 0006: the previous labels are not kept.
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
