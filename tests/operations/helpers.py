"""Running the portal's own commands as separate processes against the test database."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

from benchmarks.cluster.processes import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url():
    """The test database, as a DATABASE_URL a separate process can open (what a test commits, it sees)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(**overrides):
    env = {
        **os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TASKS_BACKEND": "database", "DEBUG": "0", "LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def start(*args, log, **overrides):
    """Start ``manage.py *args`` in the background; its output goes to ``log`` (a path)."""
    handle = open(log, "ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment(**overrides), stdout=handle, stderr=subprocess.STDOUT,
    )


def run(*args, **overrides):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment(**overrides), capture_output=True, text=True, timeout=120,
    )


def stop(process, log):
    """Stop a `run_worker` (or scheduler) with SIGTERM as systemd does and check that it exits cleanly within a minute;
    one that does not is asked for its threads' stacks (SIGUSR1) and fails the test with the end of its log."""
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(60)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)
        time.sleep(1)
        raise AssertionError(f"the process did not stop within 60 s of SIGTERM; its log ends:\n{Path(log).read_text()[-6000:]}") from None
    finally:
        process.kill()
    assert code == 0, f"the process exited with {code}; its log ends:\n{Path(log).read_text()[-3000:]}"


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class OwnRedis:
    """A redis-server of the test's own, on a free port: the shared one (6379) is never stopped or emptied."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=10, what="redis-server")
        return self

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def client(self):
        return redis.Redis.from_url(self.url)


def serve(*, log, **overrides):
    """The portal as another app server runs it (gunicorn, one process) on the test database; (process, base URL)."""
    port = free_port()
    handle = open(log, "ab")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "zhenjiang_consortia.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=environment(**overrides), stdout=handle, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, timeout=60, what="gunicorn")
    except RuntimeError:
        server.kill()
        raise
    return server, f"http://127.0.0.1:{port}"
