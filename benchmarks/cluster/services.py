"""The trial's machines, all on 127.0.0.1 and on free ports, all in one folder: a PostgreSQL 15 of its own
(initdb into the folder), a Redis of its own, an S3 server (moto_server, behind the relay that plays its
outage), nginx with its own configuration, pid file, logs and temporary files, two gunicorn app servers, two
task workers and the scheduler. None of them is a system service; the shared PostgreSQL (5432) and Redis
(6379) of the machine are never touched.

Every process is started in a session of its own and its pid written to the folder's `pids` file, so that the
shell script's exit trap (scripts/trial-cluster) can stop whatever is left even if this driver dies.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

from .processes import alive, free_port, kill_tree, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
POSTGRES_BIN = Path(os.environ.get("TRIAL_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
BUCKET = "zhenjiang-trial"
S3_KEYS = {"S3_ACCESS_KEY": "trial", "S3_SECRET_KEY": "trial-secret", "S3_REGION": "us-east-1"}
AS_ROOT = os.geteuid() == 0

NGINX_CONF = """\
# The trial's nginx: its own pid, logs and temporary files, on loopback only; not the system's nginx.
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    log_format trial '$remote_addr [$time_local] "$request" $status $body_bytes_sent upstream=$upstream_addr '
                     'upstream_status=$upstream_status rt=$request_time';
    access_log {folder}/access.log trial;

    # Both app servers. One that refuses a connection or fails is left out for 10 s (max_fails, fail_timeout).
    upstream zhenjiang_portal {{
        server 127.0.0.1:{app_a} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{app_b} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}

    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        error_page 502 504 /zhenjiang-50x.html;
        location = /zhenjiang-50x.html {{
            root {pages};
            charset utf-8;
            internal;
        }}
        location / {{
            proxy_pass http://zhenjiang_portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # A request that could not be sent, or (GET, HEAD) whose server failed before answering, goes to the
            # other server. A POST already sent is never sent twice (no "non_idempotent"), and a 503 from the
            # portal (its database or bucket away) is the answer, not a reason to mark the server down.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            add_header X-Trial-Upstream $upstream_addr always;
        }}
    }}
}}
"""


RESTART_SECONDS = 3  # deploy/systemd: Restart=always, RestartSec=3


class Service:
    """One process of the trial, started and stopped by its pid.

    A ``supervised`` one is started again RESTART_SECONDS after it exits, as systemd does with the portal's units
    (a task worker quits when Redis goes away under it); one the trial killed on purpose (``lost``: its machine is
    gone) is not, until the trial brings it back after the phase.
    """

    def __init__(self, cluster, name, argv, *, env=None, user=None, cwd=ROOT, supervised=False):
        self.cluster, self.name, self.argv, self.env, self.user, self.cwd = cluster, name, argv, env, user, cwd
        self.supervised, self.lost, self.process = supervised, False, None

    @property
    def log(self):
        return self.cluster.folder / "logs" / f"{self.name}.log"

    def start(self):
        self.lost = False
        handle = self.log.open("ab")
        extra = {"user": self.user, "group": self.user} if self.user else {}
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env or os.environ.copy(), stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, **extra,
        )
        handle.close()
        with (self.cluster.folder / "pids").open("a") as pids:
            pids.write(f"{self.process.pid} {self.name}\n")
        return self

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Ask it to stop (``sig``), then kill whatever of it is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.kill(self.process.pid, sig)
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def lose(self):
        """The fault: SIGKILL, and no restart (its machine is gone) until the trial starts it again."""
        self.lost = True
        self.kill()

    def kill(self):
        """SIGKILL to the process and every process it started (a worker's task process, gunicorn's workers)."""
        if self.process is None:
            return
        kill_tree(self.process.pid)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self.process = None


class Cluster:
    def __init__(self, folder):
        self.folder = Path(folder)
        (self.folder / "logs").mkdir(parents=True, exist_ok=True)
        ports = iter(sorted({free_port() for _ in range(12)}))
        self.pg_port, self.redis_port, self.moto_port, self.s3_port = next(ports), next(ports), next(ports), next(ports)
        self.nginx_port, self.app_ports = next(ports), [next(ports), next(ports)]
        self.services = {}
        self.workers = []
        self.restarts = []  # (service name, exit status) of each restart by supervise()

    # --- what every server of the portal is given --------------------------------------------------------

    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/zhenjiang"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.nginx_port}"

    def portal_env(self, server, **overrides):
        """The settings of one server (deploy/README.md, 两台及以上服务器): the same on each but its own empty MEDIA_ROOT."""
        media = self.folder / f"media-{server}"
        media.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zhenjiang_consortia.settings",
            "DEBUG": "0",
            "SECRET_KEY": "trial-only-secret-key-for-a-throwaway-cluster-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
            "BEHIND_TLS_PROXY": "1",
            "SITE_URL": self.base_url,
            "DATABASE_URL": self.database_url,
            "TASKS_BACKEND": "rq", "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_BACKEND": "redis", "CACHE_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "MEDIA_STORAGE": "s3", "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}", "S3_BUCKET": BUCKET, **S3_KEYS,
            "MEDIA_ROOT": str(media),  # unused with a bucket: the trial checks that it stays empty
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
        }
        env.update(overrides)
        return env

    # --- PostgreSQL ----------------------------------------------------------------------------------------

    def init_postgres(self):
        data = self.folder / "postgres"
        data.mkdir()
        if AS_ROOT:  # PostgreSQL refuses to run as root
            shutil.chown(data, "postgres", "postgres")
        subprocess.run(
            [str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
            check=True, stdout=subprocess.DEVNULL, user="postgres" if AS_ROOT else None,
        )
        self.services["postgres"] = Service(self, "postgres", [
            str(POSTGRES_BIN / "postgres"), "-D", str(data), "-p", str(self.pg_port), "-k", str(data),
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on",
        ], user="postgres" if AS_ROOT else None)

    def start_postgres(self):
        self.services["postgres"].start()
        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=self.pg_port, user="postgres", dbname="postgres").close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def create_database(self):
        admin = psycopg2.connect(host="127.0.0.1", port=self.pg_port, user="postgres", dbname="postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("CREATE DATABASE zhenjiang")
        admin.close()

    # --- Redis, S3 -----------------------------------------------------------------------------------------

    def start_redis(self):
        """Redis as the guide configures it: the append-only file, flushed every second."""
        data = self.folder / "redis"
        data.mkdir(exist_ok=True)
        self.services["redis"] = Service(self, "redis", [
            shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--dir", str(data), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        ]).start()
        wait_for_port(self.redis_port, timeout=30, what="redis-server")

    def start_s3(self):
        self.services["moto"] = Service(self, "moto", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.moto_port)]).start()
        wait_for_port(self.moto_port, timeout=60, what="moto_server")
        self.start_s3_relay()

    def start_s3_relay(self):
        self.services["s3"] = Service(self, "s3-relay", [sys.executable, "-m", "benchmarks.cluster.relay", str(self.s3_port),
                                                          str(self.moto_port)]).start()
        wait_for_port(self.s3_port, timeout=30, what="the S3 relay")

    def s3_client(self):
        """boto3 on moto itself (not through the relay): what the bucket holds, whatever the relay is doing."""
        import boto3  # here: only the driver process, once Django's settings are in place, needs it

        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.moto_port}", aws_access_key_id=S3_KEYS["S3_ACCESS_KEY"],
                            aws_secret_access_key=S3_KEYS["S3_SECRET_KEY"], region_name=S3_KEYS["S3_REGION"])

    # --- the portal --------------------------------------------------------------------------------------

    def start_app(self, index):
        name = f"app{index + 1}"
        self.services[name] = Service(self, name, [
            str(VENV_BIN / "gunicorn"), "zhenjiang_consortia.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.app_ports[index]}",
            "--timeout", "60", "--graceful-timeout", "10",
        ], env=self.portal_env(name), supervised=True).start()
        return self.services[name]

    def start_worker(self, server):
        """A task worker on ``server`` (1 or 2); a restarted one is a new worker, as systemd's would be."""
        number = len(self.workers) + 1
        worker = Service(self, f"worker{number}-on-app{server}", [sys.executable, "manage.py", "run_worker"],
                         env=self.portal_env(f"app{server}", LOG_LEVEL="INFO"), supervised=True).start()
        self.workers.append(worker)
        return worker

    def start_scheduler(self):
        self.services["scheduler"] = Service(self, "scheduler-on-app1", [sys.executable, "manage.py", "run_scheduled_jobs", "--loop", "60"],
                                             env=self.portal_env("app1"), supervised=True).start()

    def start_nginx(self):
        folder = self.folder / "nginx"
        folder.mkdir()
        user = ""
        if AS_ROOT:  # nginx's workers drop root; they write its temporary files
            shutil.chown(folder, "www-data", "www-data")
            user = "user www-data;"
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=folder, user=user, port=self.nginx_port, app_a=self.app_ports[0], app_b=self.app_ports[1],
                                          pages=ROOT / "deploy" / "nginx"))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(folder)], check=True)
        self.services["nginx"] = Service(self, "nginx", [nginx, "-c", str(conf), "-p", str(folder)]).start()
        wait_for_port(self.nginx_port, timeout=30, what="nginx")

    def wait_for_apps(self):
        for port in self.app_ports:
            wait_for_port(port, timeout=90, what="gunicorn")

    def supervise(self, stop):
        """systemd's part, until ``stop`` is set: start again each supervised process that exited on its own."""
        while not stop.wait(0.5):
            for service in [*self.workers, *self.services.values()]:
                if not service.supervised or service.lost or service.process is None or service.process.poll() is None:
                    continue
                status = service.process.returncode
                if stop.wait(RESTART_SECONDS):
                    return
                self.restarts.append((service.name, status))
                service.start()

    # --- the end ----------------------------------------------------------------------------------------

    def everything(self):
        return [*self.workers, *self.services.values()]

    def stop_all(self):
        order = ["scheduler", "nginx", "app1", "app2"]
        for worker in self.workers:
            worker.stop(signal.SIGTERM, timeout=30)
        for name in order:
            if name in self.services:
                self.services[name].stop()
        for name in ("s3", "moto", "redis"):
            if name in self.services:
                self.services[name].stop()
        if "postgres" in self.services:
            self.services["postgres"].stop(signal.SIGINT)

    def left_running(self):
        """Every process the trial started (from its pids file) and its descendants that still run."""
        found = []
        pids_file = self.folder / "pids"
        for line in pids_file.read_text().splitlines() if pids_file.exists() else []:
            pid = int(line.split()[0])
            if alive(pid):
                found.append(line)
        return found
