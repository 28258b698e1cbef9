"""The migrations as they ran before they were squashed, for the tests of a data migration among them.

An empty test database is migrated through the squashed migrations (accounts/migrations/0002_squashed_0013 and the
others), which record every migration they replace as applied. A test that goes back to a migration before one of
those data migrations, puts rows in the old tables and comes forward again needs the replaced migrations as the nodes
of the graph, as they are on an installation that applied them one by one (Django's own handling of a squash applied
in part).

``gone_back_to(target)`` unapplies the migrations after ``target`` in its app and those that depend on them, gives the
models as they were at ``target`` and, on leaving, applies the same migrations again. Its graph holds only those
migrations and the ones they depend on: the migrations of the other apps cannot touch what they change, and leaving
them out spares Django rendering their models again at every step (the test of reviews.0005 goes through 39 of the 90
migrations).
"""

from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.loader import MigrationLoader


@contextmanager
def gone_back_to(target):
    executor = _executor(target)
    executor.migrate([target])
    try:
        yield executor.loader.project_state([target]).apps
    finally:
        executor = _executor(target)  # a new loader: it reads which migrations are applied now
        executor.migrate(executor.loader.graph.leaf_nodes())


def _executor(target):
    executor = MigrationExecutor(connection)
    loader = executor.loader = MigrationLoader(connection, replace_migrations=False)
    for squashed, migration in loader.replacements.items():
        loader.graph.remove_replacement_node(squashed, migration.replaces)
    graph = loader.graph
    undone = {key for child in graph.node_map[target].children if child.key[0] == target[0]
              for key in graph.backwards_plan(child.key)}
    needed = {key for node in undone for key in graph.forwards_plan(node)}
    loader.graph = MigrationGraph()
    for key in needed:
        loader.graph.add_node(key, graph.nodes[key])
    for key in needed:
        for parent in graph.node_map[key].parents:
            loader.graph.add_dependency(graph.nodes[key], key, parent.key)
    return executor
