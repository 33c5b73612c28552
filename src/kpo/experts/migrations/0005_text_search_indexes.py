"""Trigram indexes for the directory's text search on PostgreSQL.

The search is a case-insensitive substring match (`UPPER(column) LIKE UPPER('%text%')`) on the expert's
headline and the person's first and last name. On PostgreSQL, GIN indexes of the pg_trgm extension
answer such a match without reading every row; the database user needs the right to create that
extension (a trusted extension since PostgreSQL 13: the database's owner may). SQLite has no such index;
this migration does nothing there.
"""

from django.db import migrations

INDEXES = (
    ("kpo_expert_headline_trgm", "experts_expertprofile", "headline"),
    ("kpo_user_first_name_trgm", "auth_user", "first_name"),
    ("kpo_user_last_name_trgm", "auth_user", "last_name"),
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("experts", "0004_clearance_and_seniority"),
    ]

    operations = [migrations.RunPython(create, drop)]
