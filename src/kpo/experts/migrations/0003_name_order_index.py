"""Indexes only: read the expert directory in name order at 100,000 experts (bench/pages.py).

The directory and the organisation page list people by last name, first name and id. Without an index
on those columns every page sorts all matching rows (0.4-1.5 s at 100,000 experts on SQLite); with it
the database walks the index and stops after the page. The index is on Django's `auth_user` table,
which kpo cannot declare indexes for in a model, hence the SQL (the same on SQLite and PostgreSQL).
"""

from django.db import migrations

INDEX = "kpo_auth_user_name"


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("experts", "0002_load_esco"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "auth_user" ("last_name", "first_name", "id");',
            reverse_sql=f'DROP INDEX IF EXISTS "{INDEX}";',
        ),
    ]
