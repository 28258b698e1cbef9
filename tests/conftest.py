import ast
import gc
import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# there are safe in tests (one thread, one connection). Only the tests set this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file (in memory-backed /dev/shm when there is one), not
    Django's in-memory default: a worker or backup started as a separate process must see what a
    transactional test committed, as it does on PostgreSQL."""
    from django.conf import settings  # imported here: this conftest is loaded before pytest-django sets Django up

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = Path(tempfile.mkdtemp(prefix="zj-test-db-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
        yield
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield


def _migrated_copy_path():
    """Where a migrated SQLite test database is kept between runs: one file per state of what migrating reads (the
    migrations, the project's modules they import — reference data, validators —, the fixtures/ those install, and
    Django's version), so that a changed migration or reference list is always applied afresh."""
    import django  # imported here: this conftest is loaded before pytest-django sets Django up

    root = Path(__file__).resolve().parent.parent
    migrations = sorted(root.glob("*/migrations/*.py"))
    read = set(migrations)
    for migration in migrations:
        for node in ast.walk(ast.parse(migration.read_bytes())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                path = root.joinpath(*name.split("."))
                read.update(p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file())
                if path.is_dir():
                    read.update(path.glob("*.py"))
    read.update(path for path in (root / "fixtures").rglob("*") if path.is_file())  # the reference data they install
    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted(read):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return Path(tempfile.gettempdir()) / "zj-test-migrated" / f"{digest.hexdigest()[:24]}.sqlite3"


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings,
                    django_db_keepdb, django_db_createdb):
    """pytest-django's set-up, except that on SQLite each worker starts from a copy of a database migrated by an earlier
    run (a test run that migrates keeps one for the next): the quick loop does not migrate each worker's database each
    time. The copy is made with SQLite's backup API after migrating, and found by the migrations' own contents. On
    PostgreSQL, as pytest-django does, `--reuse-db` keeps each worker's test database for the next run (migrating only
    what is new) and `--create-db` makes it afresh."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    database = settings.DATABASES["default"]
    on_sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    migrated = _migrated_copy_path() if on_sqlite else None
    reuse = migrated is not None and migrated.exists() and not django_db_createdb
    keep = not on_sqlite and django_db_keepdb and not django_db_createdb
    if reuse:
        shutil.copyfile(migrated, database["TEST"]["NAME"])
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        # keepdb: the copied file is the test database; Django's migrate then finds every migration applied.
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized_aliases, keepdb=reuse or keep)
        if on_sqlite and not reuse:
            migrated.parent.mkdir(exist_ok=True)
            partial = migrated.with_suffix(f".{os.getpid()}.partial")
            with closing(sqlite3.connect(database["NAME"])) as source, closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)
            os.replace(partial, migrated)  # whole or not at all: another worker may be reading the same name
    yield
    if not keep:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session", autouse=True)
def _emptying_after_transactional_tests():
    """A transactional test ends with Django's flush: on PostgreSQL one TRUNCATE of every table, about 0.7 s however
    little the test wrote (new files for each of some 300 tables and indexes). Here the tables the test wrote to are
    emptied with DELETE instead (the foreign keys Django makes are deferred to the commit), the append-only audit
    table (a trigger refuses DELETE) with a TRUNCATE of its own, and post_migrate is sent as flush sends it: the next
    test finds the same empty tables. Anything else (SQLite, available_apps, serialized rollback, an error) takes
    Django's own flush. Either way the reference data that migrations install (bureaus, industry fields, criteria)
    is then installed again and committed: the tests after it, which run in any order (pytest_collection_modifyitems),
    find the database as migrating left it rather than each installing that data again inside its own transaction."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DatabaseError, connections, transaction
    from django.test import TransactionTestCase

    from tests import factories

    original = TransactionTestCase._fixture_teardown

    def empty(connection):
        quote = connection.ops.quote_name
        tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables), tables)
            written = [table for table, in cursor.fetchall()]
            cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal")
            guarded = {table for table, in cursor.fetchall()}
            statements = ["SET CONSTRAINTS ALL DEFERRED"] + [
                f"TRUNCATE {quote(table)}" if table in guarded else f"DELETE FROM {quote(table)}" for table in written]
            cursor.execute("; ".join(statements))

    def emptied(self):
        aliases = list(self._databases_names(include_mirrors=False))
        if self.available_apps is not None or self.serialized_rollback or any(connections[a].vendor != "postgresql" for a in aliases):
            return original(self)
        for alias in aliases:
            try:
                empty(connections[alias])
            except DatabaseError:
                return original(self)
            emit_post_migrate_signal(0, False, alias)

    def fixture_teardown(self):
        emptied(self)
        factories.reference_data()

    TransactionTestCase._fixture_teardown = fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The bureaus, industry fields and criteria that migrations install.

    A transactional test (live_server, concurrency) empties every table when it ends;
    the tests after it still find the reference data every installation has.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    from tests import factories  # imported here: this conftest is loaded before pytest-django sets Django up

    factories.reference_data()


@pytest.fixture(autouse=True)
def _print_layouts_read_whole():
    """WeasyPrint leaves out what it cannot read in a print stylesheet or page and only logs a warning (a template
    comment written over two lines, printed into the dossier's stylesheet as text, once took the @page rule after it
    with it): a test that lays out a PDF fails at its end on any warning WeasyPrint logged."""
    warnings = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warnings.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    assert [warning.getMessage() for warning in warnings] == [], "WeasyPrint 未能读懂打印样式或页面"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the public page and the statistics are cached; locmem lives on) and
    no frozen version read before (applications.frozen: kept by the process)."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.core.cache import cache

    from applications import frozen

    cache.clear()
    frozen.forget()
    yield
    cache.clear()


@pytest.fixture
def client():
    """The test client as a browser that opened the form before sending it: a POST to a view that takes a one-time form
    token (operations.once) and carries none gets a fresh one of the signed-in user, as the form's page would have
    given it (tests/operations/test_once.py holds that every such page does). Tests of the token pass theirs, or an
    empty one."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.contrib.auth import SESSION_KEY
    from django.test import Client
    from django.urls import Resolver404, resolve

    from accounts.models import User
    from operations import once

    class BrowserClient(Client):
        def post(self, path, data=None, *args, **kwargs):
            if takes_token(path) and (data is None or isinstance(data, dict) and once.FIELD not in data):
                signed_in = self.session.get(SESSION_KEY)
                user = User(pk=int(signed_in)) if signed_in else None
                data = {**(data or {}), once.FIELD: once.new_token(user)}
            return super().post(path, data, *args, **kwargs)

    def takes_token(path):
        try:
            return getattr(resolve(path.split("?")[0]).func, "takes_once_token", False)
        except Resolver404:
            return False

    return BrowserClient()


@pytest.fixture
def applicant(db):
    """An account of an approved lead enterprise (京口区)."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from accounts.roles import Role
    from tests import factories

    return factories.user(Role.APPLICANT)


# What `make test-fast` leaves out (-m "not slow"): the browser journeys, the printed documents (the dossier, the notices,
# the report's cover), and the tests that start a worker, a scheduler or a backup as a separate process or walk every URL
# under every identity. Single tests that render a PDF or run for seconds carry @pytest.mark.slow themselves.
SLOW_PATHS = ("tests/browser/", "tests/applications/dossier/", "tests/benchmarks/", "tests/operations/", "tests/test_permission_matrix.py",
              "tests/test_fuzz.py", "tests/reviews/test_notice_layout.py", "tests/evaluations/test_report_cover.py")


def pytest_collection_modifyitems(config, items):
    """Marks the slow tests, then puts the longest first: the browser journeys, then the transactional tests (a live
    server, a worker, a scheduler as a separate process), then the other slow ones (a PDF, every URL), then the rest,
    each group in the order pytest-django gave it. pytest-xdist's work stealing hands each worker a half of the list
    and a worker that runs out takes the end of the other's: with the long tests first, the suite ends on short ones
    on both workers, not on a 15-second journey left running alone on one (12 of 94 s on two workers)."""
    length = {}
    for item in items:
        path = item.nodeid.replace("\\", "/")
        transactional = (any(marker.kwargs.get("transaction") for marker in item.iter_markers("django_db"))
                         or "live_server" in getattr(item, "fixturenames", ()))
        if path.startswith(SLOW_PATHS) or transactional:
            item.add_marker(pytest.mark.slow)
        length[item] = 0 if item.get_closest_marker("browser") else 1 if transactional else 2 if item.get_closest_marker("slow") else 3
    items.sort(key=length.__getitem__)


def pytest_collection_finish(session):
    """The process made ready as the web server's is before its first request (zhenjiang_consortia/wsgi.py): the URLs
    and every view module they import loaded (not by whichever test first asks for a URL, which then took 0.3 s more
    than itself), and the garbage collector set as the server sets it — what is loaded by now frozen, the youngest
    generation collected every 7,000 new objects. The tests run under the collector the pages run under in production,
    and the suite spends less time in it. The process is made ready to print too, as the task worker makes itself
    ready before its first task (run_worker: WeasyPrint loaded, the fonts looked up and opened): the first test that
    prints does not carry it."""
    import weasyprint  # noqa: F401 — imported here: loaded as the task worker loads it (see above)
    from django.urls import reverse  # imported here: this conftest is loaded before pytest-django sets Django up

    from operations import workers  # imported here: see above

    reverse("accounts:login")  # the first reverse() imports the URL configuration with every view
    workers.make_ready()
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 10, 10)
