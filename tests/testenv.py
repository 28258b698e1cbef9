"""Loaded with `-p tests.testenv` before Django reads its settings.

The tests talk plain HTTP to the test client and to live_server, so the production
cookie and redirect hardening is switched off here, and uploads go to a scratch folder.
"""

import atexit
import os
import shutil
import sys
import tempfile

# Some machines say PYTHONDONTWRITEBYTECODE=1 (container images do): then each process the suite starts — every xdist
# worker, gunicorn, task worker, scheduler and manage.py — compiles the portal's modules afresh, and pytest rewrites
# and compiles every test module afresh in each worker (about 5 s each). The suite keeps its bytecode (__pycache__/,
# ignored by git) for itself and the processes it starts, which inherit this environment.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# Production settings refuse to start without a key (DEBUG is off in tests); this one signs test data only.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-server-7f3c9a1e5b2d4f6081a3c5e7")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
if "MEDIA_ROOT" not in os.environ:
    # The uploads and printed files of one run: made by the process that starts it, shared by its workers and the
    # servers they start (they inherit the variable), and removed when it ends — not left behind in /tmp by every run.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="zj-test-media-")
    atexit.register(shutil.rmtree, os.environ["MEDIA_ROOT"], ignore_errors=True)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SITE_URL", "https://kjj.zhenjiang.gov.cn")  # required when DEBUG is off, as in production
os.environ.setdefault("TASKS_BACKEND", "immediate")  # tasks run where they are queued; tests that need a worker say so
