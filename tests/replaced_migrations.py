"""The migrations as they ran before they were squashed, for the tests of a data migration among them.

An empty test database is migrated through the squashed migrations (accounts/migrations/0002_squashed_0013 and the
others), which record every migration they replace as applied. A test that goes back to a migration before one of
those data migrations, puts rows in the old tables and comes forward again needs the replaced migrations as the nodes
of the graph, as they are on an installation that applied them one by one: ``executor()`` gives an executor whose
graph has the replaced migrations and not the squashed ones (Django's own handling of a squash applied in part).
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader


def executor():
    migrations = MigrationExecutor(connection)
    migrations.loader = MigrationLoader(connection, replace_migrations=False)
    for squashed, migration in migrations.loader.replacements.items():
        migrations.loader.graph.remove_replacement_node(squashed, migration.replaces)
    return migrations
