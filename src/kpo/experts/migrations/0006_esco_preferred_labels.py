"""Replace the guessed ESCO labels with the preferred labels now shipped in kpo/data, in place."""

from django.db import migrations

from kpo.experts.esco import OCCUPATIONS_CSV, SKILLS_CSV, read_concepts

BATCH = 2000


def relabel(apps, schema_editor):
    for model_name, path in (("EscoSkill", SKILLS_CSV), ("EscoOccupation", OCCUPATIONS_CSV)):
        model = apps.get_model("experts", model_name)
        labels = {uri: label for uri, label, _ in read_concepts(path)}
        changed = []
        for concept in model.objects.only("id", "uri", "label").iterator(chunk_size=BATCH):
            label = labels.get(concept.uri)
            if label and label != concept.label:
                concept.label = label
                changed.append(concept)
        model.objects.bulk_update(changed, ["label"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("experts", "0005_text_search_indexes")]
    # Irreversible on purpose: the guessed labels were wrong and are not kept; going back leaves
    # the correct labels in place.
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
