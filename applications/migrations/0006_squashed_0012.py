"""The industry fields (applications.reference) and, on PostgreSQL, the trigram indexes of 0008_list_indexes.

Squashed (2026-12-05): written from the models, each table created whole with its indexes and constraints, so that
an empty database is migrated in far fewer steps; the backfills of the replaced migrations (marked elidable) do
nothing on an empty database and are left out. A database that has applied all of the replaced migrations is
taken as having applied this one; the replaced files stay until every installation has migrated past them."""

from django.db import migrations

from applications import reference

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


def create_fields(apps, schema_editor):
    reference.install(apps.get_model("applications", "IndustryField"))


class Migration(migrations.Migration):

    replaces = [
        ('applications', '0006_registrations_and_declarations'),
        ('applications', '0007_bans_lifted_and_step_detail'),
        ('applications', '0008_list_indexes'),
        ('applications', '0009_consortium_organisation'),
        ('applications', '0010_ban_lift_four_eyes'),
        ('applications', '0011_document_renders'),
        ('applications', '0012_times_from_the_clock'),
    ]

    dependencies = [
        ('applications', '0001_squashed_0005'),
        ('accounts', '0002_squashed_0013'),
    ]

    operations = [
        migrations.RunPython(create_fields, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
