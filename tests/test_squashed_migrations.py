"""A database migrated by the replaced files one by one, as every installation before the squash, has nothing left to
migrate: Django takes each squash as applied since all it replaces is; `restore` counts what `migrate` would do."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from operations import backup

SQUASHES = ["accounts.0002_squashed_0013", "applications.0001_squashed_0005", "applications.0006_squashed_0012",
            "candidates.0001_squashed_0002", "evaluations.0001_squashed_0013", "operations.0001_squashed_0004",
            "reviews.0001_squashed_0007"]


@pytest.mark.django_db
def test_a_database_migrated_before_the_squash_has_nothing_to_migrate():
    recorded = MigrationRecorder(connection).migration_qs
    recorded.filter(name__contains="_squashed_").delete()  # as the replaced files left it
    applied = {f"{app}.{name}" for app, name in recorded.values_list("app", "name")}
    assert sorted(backup.known_migrations() - applied) == SQUASHES  # what restore had counted as "未执行"
    assert backup.pending_migrations() == []


@pytest.mark.django_db
def test_a_migration_not_applied_is_pending():
    MigrationRecorder(connection).migration_qs.filter(app="reviews", name="0007_times_from_the_clock").delete()
    assert [(f"{migration.app_label}.{migration.name}", backwards) for migration, backwards in backup.pending_migrations()] == [
        ("reviews.0007_times_from_the_clock", False)]
