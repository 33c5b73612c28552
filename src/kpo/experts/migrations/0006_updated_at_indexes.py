"""Indexes for matching's reads at 100,000 experts.

- `updated_at` of the profiles: the index fingerprint (kpo.matching.index_cache) reads max(updated_at)
  before every shortlist and every task-page warning; without an index that read every profile.
- On PostgreSQL a trigram index on the employer, like 0005's: the conflict-of-interest rule looks for
  the client's competitors among every expert's employers (`UPPER(employer) LIKE UPPER('%name%')`).
"""

from django.conf import settings
from django.db import migrations, models


def create_employer_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "kpo_employment_employer_trgm" '
        'ON "experts_employment" USING gin (UPPER("employer") gin_trgm_ops)'
    )


def drop_employer_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "kpo_employment_employer_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0005_text_search_indexes"),
        ("orgs", "0007_merge_20261207_1439"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="expertprofile",
            index=models.Index(fields=["updated_at"], name="kpo_expert_updated_at"),
        ),
        migrations.RunPython(create_employer_index, drop_employer_index),
    ]
