import os
import shutil
import tempfile
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
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from accounts import reference as accounts_reference
    from accounts.models import Bureau
    from applications import reference as applications_reference
    from applications.models import IndustryField
    from evaluations import reference as evaluations_reference
    from evaluations.models import EvaluationCriterion
    from reviews import reference as reviews_reference
    from reviews.models import Criterion

    if not Bureau.objects.exists():
        accounts_reference.install(Bureau)
        applications_reference.install(IndustryField)
        reviews_reference.install(Criterion)
        evaluations_reference.install(EvaluationCriterion)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the public page and the statistics are cached; locmem lives on)."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.core.cache import cache

    cache.clear()
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
    for item in items:
        path = item.nodeid.replace("\\", "/")
        transactional = any(marker.kwargs.get("transaction") for marker in item.iter_markers("django_db"))
        if path.startswith(SLOW_PATHS) or transactional or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
