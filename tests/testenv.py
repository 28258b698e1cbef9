"""Loaded with `-p tests.testenv` before Django reads its settings.

The tests talk plain HTTP to the test client and to live_server, so the production
cookie and redirect hardening is switched off here, and uploads go to a scratch folder.
"""

import os
import tempfile

# Production settings refuse to start without a key (DEBUG is off in tests); this one signs test data only.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-server-7f3c9a1e5b2d4f6081a3c5e7")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="zj-test-media-"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SITE_URL", "https://kjj.zhenjiang.gov.cn")  # required when DEBUG is off, as in production
os.environ.setdefault("TASKS_BACKEND", "immediate")  # tasks run where they are queued; tests that need a worker say so
