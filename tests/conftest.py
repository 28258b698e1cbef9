import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# there are safe in tests (one thread, one connection). Only the tests set this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
