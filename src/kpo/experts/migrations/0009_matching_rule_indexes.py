"""Indexes for matching's eligibility rules at 100,000 experts.

- Employment.employer_key: the employer's normalised name (kpo.engine.org_names), indexed, so the
  conflict-of-interest rule looks competitors up by key instead of scanning every employer text
  (about 300 ms per shortlist on SQLite). Existing rows are filled here.
- (organisation, clearance) of the profiles: the clearance rule's experts of a provider below a level.
"""

from django.db import migrations, models

from kpo.engine.org_names import normalise_name

BATCH = 2000


def fill_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    employment = apps.get_model("experts", "Employment")
    batch = []
    for row in employment.objects.only("id", "employer").iterator(chunk_size=BATCH):
        row.employer_key = normalise_name(row.employer)
        batch.append(row)
        if len(batch) >= BATCH:
            employment.objects.bulk_update(batch, ["employer_key"])
            batch = []
    employment.objects.bulk_update(batch, ["employer_key"])


class Migration(migrations.Migration):
    dependencies = [("experts", "0008_merge_20261207_1803")]

    operations = [
        migrations.AddField(
            model_name="employment",
            name="employer_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="expertprofile",
            index=models.Index(fields=["organisation", "clearance"], name="kpo_expert_org_clearance"),
        ),
    ]
