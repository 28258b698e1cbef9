"""`make trial-cluster` (scripts/trial-cluster): the portal as deploy/README.md sets up two servers, under five faults.

On this machine, in one temporary folder, on free loopback ports: PostgreSQL 15, Redis and an S3 server of the
trial's own (services.py), nginx in front of two gunicorn app servers (MEDIA_STORAGE=s3, TASKS_BACKEND=rq,
CACHE_BACKEND=redis), a task worker beside each and the scheduler on the first. Simulated users (client.py)
sign in and work through nginx for a phase of LOAD_SECONDS per fault; LOAD_SECONDS // 4 into the phase the
fault strikes:

1. app server 1 is killed with SIGKILL (gunicorn's master and workers; restarted after the phase);
2. the task worker running a dossier render is killed with SIGKILL, with its task process and scheduler;
3. Redis is killed with SIGKILL and started again 5 s later (its append-only file kept);
4. PostgreSQL is shut down (fast) and started again 8 s later;
5. the S3 service is away for 15 s (the relay in front of moto_server stopped; see relay.py).

After each phase the users stop, the renders they asked for are given time to finish, and checks.py compares
the users' log with the database and the bucket. One JSON line per fault, then a table; everything the trial
started is stopped at the end, and what is left running (nothing) is printed.
"""

import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from .processes import wait_for_port
from .services import RESTART_SECONDS, ROOT, Cluster

LOAD_SECONDS = int(os.environ.get("TRIAL_LOAD_SECONDS", "40"))
STRIKE_AT = LOAD_SECONDS // 4
# What the servers' logs say about recovering (counted per phase): operations.workers, operations.background,
# operations.cache.
EVENTS = {
    "job of a dead worker queued again": "which has died; queued again",
    "task waited in the database for Redis": "it waits in the database",
    "task handed to Redis after the commit failed": "Could not hand task",
    "cache unreachable, served without it": "Redis cache unreachable",
    "task retried after a failed attempt": "retrying at",
    "task given up": "giving up",
}


def say(text):
    print(text, flush=True)


def configure(cluster):
    """This process becomes a third server of the cluster: it migrates, seeds and checks."""
    os.environ.update(cluster.portal_env("driver"))
    sys.path.insert(0, str(ROOT))
    import django  # here: the settings come from the environment set just above

    django.setup()


def sleep_until(phase, moment):
    time.sleep(max(0.0, moment - phase.clock()))


# --- the faults: each returns (what happened, when service was whole again) -------------------------------------


def kill_app_server(cluster, phase):
    sleep_until(phase, STRIKE_AT)
    victim = cluster.services["app1"]
    struck = phase.clock()
    victim.lose()
    return f"t={struck:.1f} s app1 (gunicorn master and its 2 workers) killed with SIGKILL; nginx left with app2", struck + 2


def restart_app_server(cluster):
    cluster.services["app1"].start()
    cluster.wait_for_apps()


def kill_worker_mid_render(cluster, phase):
    import django_rq  # here: after configure()
    from django_tasks_rq.backend import Job

    from operations.models import WorkerHeartbeat

    queue = django_rq.get_queue("default", job_class=Job)
    deadline = LOAD_SECONDS - 5
    sleep_until(phase, STRIKE_AT)
    while phase.clock() < deadline:
        for job_id in queue.started_job_registry.get_job_ids(cleanup=False):
            job = queue.fetch_job(job_id)
            if job is None or not job.func_name.endswith("render_dossier") or not job.worker_name:
                continue
            heartbeat = WorkerHeartbeat.objects.filter(worker_id=job.worker_name).first()
            victim = next((w for w in cluster.workers if heartbeat and w.running() and w.pid == heartbeat.pid), None)
            if victim is None:
                continue
            struck = phase.clock()
            victim.lose()
            done = _done_at(job.args[0], phase)
            return (f"t={struck:.1f} s {victim.name} killed with SIGKILL (worker, task process, scheduler) while rendering "
                    f"打印记录 {job.args[0]}; " + (f"that render done at t={done:.1f} s" if done else "that render not done")), struck
        time.sleep(0.2)
    raise RuntimeError("no render was running on a worker of the trial: nothing to kill")


def _done_at(render_id, phase, timeout=90):
    from applications.models import DossierRender  # here: after configure()

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DossierRender.objects.filter(pk=render_id, state=DossierRender.State.DONE).exists():
            return phase.clock()
        time.sleep(0.5)
    return None


def replace_worker(cluster):
    cluster.start_worker(1)


def _take_away(cluster, phase, name, port, seconds):
    """SIGKILL a service at STRIKE_AT and start it again ``seconds`` later; when it went and when it was back."""
    sleep_until(phase, STRIKE_AT)
    struck = phase.clock()
    cluster.services[name].lose()
    time.sleep(seconds)
    cluster.services[name].start()
    wait_for_port(port, timeout=30, what=name)
    return struck, phase.clock()


def restart_redis(cluster, phase):
    struck, back = _take_away(cluster, phase, "redis", cluster.redis_port, 5)
    return f"t={struck:.1f} s Redis killed with SIGKILL; t={back:.1f} s started again from its append-only file", back + 2


def restart_postgres(cluster, phase):
    sleep_until(phase, STRIKE_AT)
    struck = phase.clock()
    cluster.services["postgres"].lost = True
    cluster.services["postgres"].stop(signal.SIGINT)  # a fast shutdown, as `systemctl restart postgresql` does
    down = phase.clock()
    time.sleep(8)
    cluster.start_postgres()
    back = phase.clock()
    return (f"t={struck:.1f} s PostgreSQL shut down (fast; stopped at t={down:.1f} s); t={back:.1f} s started again "
            "(the app servers were not restarted)"), back + 2


def stop_s3(cluster, phase):
    struck, back = _take_away(cluster, phase, "s3", cluster.s3_port, 15)
    return f"t={struck:.1f} s S3 service away (connections refused); t={back:.1f} s back", back + 2


FAULTS = {
    "app": ("app server killed", kill_app_server, restart_app_server),
    "worker": ("task worker killed mid-render", kill_worker_mid_render, replace_worker),
    "redis": ("Redis restarted", restart_redis, None),
    "postgres": ("PostgreSQL restarted", restart_postgres, None),
    "s3": ("S3 away", stop_s3, None),
}
# TRIAL_FAULTS=postgres,s3 runs only those.
CHOSEN = [key.strip() for key in os.environ.get("TRIAL_FAULTS", ",".join(FAULTS)).split(",") if key.strip()]


def log_events(cluster):
    """How often each recovery message appears in the servers' logs so far."""
    text = "".join(path.read_text(errors="replace") for path in (cluster.folder / "logs").glob("*.log"))
    return {name: text.count(phrase) for name, phrase in EVENTS.items()}


def retried_by_nginx(cluster, since_line):
    """Requests nginx passed to the other server after the first failed them (its access log's upstream lists two)."""
    lines = (cluster.folder / "nginx" / "access.log").read_text(errors="replace").splitlines()[since_line:]
    tried = [line.split(" upstream=", 1)[1].split(" upstream_status=", 1)[0] for line in lines if " upstream_status=" in line]
    return sum(", " in upstreams for upstreams in tried), len(lines)


# --- one phase -------------------------------------------------------------------------------------------------


def run_phase(cluster, people, users, log, asked, number, name, strike, after):
    from operations import clock  # here: after configure()

    from . import checks
    from .client import Phase

    say(f"\n== 故障 {number}/{len(CHOSEN)}：{name} ==")
    since = clock.now()
    restarts_before = len(cluster.restarts)
    events_before = log_events(cluster)
    _, nginx_lines = retried_by_nginx(cluster, 0)
    phase = Phase(f"f{number}")
    threads = [threading.Thread(target=user.run, args=(phase,), name=user.username, daemon=True) for user in users]
    for thread in threads:
        thread.start()
    try:
        what, recovered_at = strike(cluster, phase)
        say(f"  {what}")
        sleep_until(phase, LOAD_SECONDS)
    finally:
        phase.stop.set()
        for thread in threads:
            thread.join(180)
    for service, status in cluster.restarts[restarts_before:]:
        say(f"  {service} exited (status {status}) and was started again {RESTART_SECONDS} s later, as systemd's Restart=always does")
    say(f"  t={phase.clock():.1f} s users stopped")
    if after is not None:
        after(cluster)
    waited = checks.wait_for_renders(since, people.printers, timeout=90, sleep=time.sleep)
    if waited:
        say(f"  waited {waited:.0f} s more for the dossiers asked for to finish")
    mine = [outcome for outcome in asked if outcome["phase"] == phase.name]
    result = checks.compare(name, log.of(phase.name), mine, people, cluster.s3_client(), since, recovered_at)
    result["nginx_passed_to_the_other_server"] = retried_by_nginx(cluster, nginx_lines)[0]
    after_events = log_events(cluster)
    result["log_events"] = {name: after_events[name] - events_before[name] for name in EVENTS if after_events[name] > events_before[name]}
    result["seconds"] = round(phase.clock(), 1)
    say(json.dumps(result, ensure_ascii=False))
    return result


def table(results):
    say("\nfault                            sent  failed  lost  applied twice  failed but applied  how the failures were answered")
    for r in results:
        answers = "; ".join(f"{count} × {how}" for how, count in r["failed_by_answer"].items()) or "-"
        say(f"{r['fault']:<30} {r['sent']:>6} {r['failed']:>7} {r['lost']:>5} {r['applied_twice']:>14} {r['failed_but_applied']:>19}  {answers}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: still stop everything (finally)
    started = time.monotonic()
    folder = Path(os.environ.get("TRIAL_DIR") or tempfile.mkdtemp(prefix="zj-trial-cluster-"))
    folder.chmod(0o755)  # PostgreSQL's own user must reach its data folder inside
    cluster = Cluster(folder)
    results, failed, supervising, systemd = [], True, threading.Event(), None
    say(f"试运行目录 {folder}；PostgreSQL :{cluster.pg_port}，Redis :{cluster.redis_port}，S3 :{cluster.s3_port}（moto_server "
        f":{cluster.moto_port}），nginx :{cluster.nginx_port}，app1 :{cluster.app_ports[0]}，app2 :{cluster.app_ports[1]}")
    try:
        cluster.init_postgres()
        cluster.start_postgres()
        cluster.create_database()
        cluster.start_redis()
        cluster.start_s3()
        configure(cluster)
        from django.core.management import call_command  # here and below: after configure()

        from . import data
        from .client import Editor, Log, Printer, Prober, Reader, Reviewer

        call_command("migrate", verbosity=0, interactive=False)
        cluster.s3_client().create_bucket(Bucket="zhenjiang-trial")
        people = data.seed()
        for index in (0, 1):
            cluster.start_app(index)
        cluster.start_worker(1)
        cluster.start_worker(2)
        cluster.start_scheduler()
        cluster.wait_for_apps()
        cluster.start_nginx()
        systemd = threading.Thread(target=cluster.supervise, args=(supervising,), name="systemd", daemon=True)
        systemd.start()
        say(f"准备就绪（{time.monotonic() - started:.0f} s）：迁移、{len(people.to_review)} 份待初审申请、"
            f"{len(people.editors)} 个编辑申请书的申报单位、{len(people.printers)} 个打印申请书的申报单位")

        log, asked = Log(), []
        base = cluster.base_url
        users = [Editor(base, applicant, data.PASSWORD, log) for applicant in people.editors]
        users += [Printer(base, applicant, data.PASSWORD, log, asked) for applicant in people.printers]
        users += [Reviewer(base, people.reviewer, data.PASSWORD, log, people.to_review),
                  Reader(base, people.city, data.PASSWORD, log, people.verify_code)]
        for user in users:
            user.sign_in()
        users.append(Prober(base, log))
        for number, key in enumerate(CHOSEN, start=1):
            results.append(run_phase(cluster, people, users, log, asked, number, *FAULTS[key]))

        media = [path for path in folder.glob("media-*/**/*") if path.is_file()]
        say(f"\n本机 MEDIA_ROOT 中的文件（应为 0：文件都在存储桶中）：{len(media)}")
        table(results)
        failed = any(r["lost"] or r["applied_twice"] or r["server_errors_500"] or r["half_written"] or r["failed_after_recovery"]
                     for r in results)
    finally:
        supervising.set()
        if systemd is not None:
            systemd.join(RESTART_SECONDS + 5)  # so that it starts nothing while everything is stopped
        cluster.stop_all()
        left = cluster.left_running()
        say(f"\n试运行用时 {time.monotonic() - started:.0f} s；试运行启动的进程仍在运行的：{'、'.join(left) if left else '无'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
