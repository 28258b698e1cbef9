import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# there are safe in tests (one thread, one connection). Only the tests set this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
    from reviews import reference as reviews_reference
    from reviews.models import Criterion

    if not Bureau.objects.exists():
        accounts_reference.install(Bureau)
        applications_reference.install(IndustryField)
        reviews_reference.install(Criterion)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the public page and the statistics are cached; locmem lives on)."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def applicant(db):
    """An account of an approved lead enterprise (京口区)."""
    # Imported here: this conftest is loaded before pytest-django sets Django up.
    from accounts.roles import Role
    from tests import factories

    return factories.user(Role.APPLICANT)
