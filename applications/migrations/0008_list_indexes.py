"""Indexes for the list pages: paging in the lists' default order, and search by name and credit code.

On PostgreSQL, search (accounts.listing.search) filters with ``icontains``, which Django writes as
``UPPER(column::text) LIKE UPPER(%s)``; the trigram (pg_trgm) GIN indexes below are built on that
very expression, so a search for part of a Chinese name or a credit code is answered from the index.
pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it. SQLite has no
such index and searches by scanning, which is fine for development and tests.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("consortium_name_trgm", "applications_consortium", "name"),
    ("unit_name_trgm", "applications_unit", "name"),
    ("unit_credit_code_trgm", "applications_unit", "credit_code"),
    ("registration_name_trgm", "applications_registration", "name"),
    ("registration_credit_code_trgm", "applications_registration", "credit_code"),
    ("membership_unit_name_trgm", "applications_membership", "unit_name"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0007_bans_lifted_and_step_detail"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["name", "id"], name="unit_name_order"),
        ),
        migrations.AddIndex(
            model_name="consortium",
            index=models.Index(fields=["-updated_at", "-id"], name="consortium_recent_first"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
