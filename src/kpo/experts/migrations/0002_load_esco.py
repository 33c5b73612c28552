from django.db import migrations

from kpo.experts.esco import OCCUPATIONS_CSV, SKILLS_CSV, read_concepts

BATCH = 2000


def load(apps, schema_editor):
    for model_name, path in (("EscoSkill", SKILLS_CSV), ("EscoOccupation", OCCUPATIONS_CSV)):
        model = apps.get_model("experts", model_name)
        if model.objects.exists():
            continue
        rows = [model(uri=uri, label=label, text=text) for uri, label, text in read_concepts(path)]
        model.objects.bulk_create(rows, batch_size=BATCH)


def unload(apps, schema_editor):
    apps.get_model("experts", "EscoSkill").objects.all().delete()
    apps.get_model("experts", "EscoOccupation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
