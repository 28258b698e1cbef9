"""Task workers: their heartbeat, and the recovery of tasks whose worker died while running them.

A worker writes its WorkerHeartbeat row every HEARTBEAT_SECONDS from a thread of its own, so a long
task does not silence it; /healthz reads the rows. The database queue marks a task RUNNING when a
worker claims it and nothing brings it back if that worker is killed (SIGKILL, power loss, OOM).
Each database worker therefore looks, when it starts and then with every heartbeat, for RUNNING
tasks whose worker is dead and puts them back in the queue. A worker is dead when its heartbeat is
older than LEASE, or at once when it ran on this host and its process is gone. Only dead workers'
tasks are requeued, so a task runs again only when its first run cannot finish.

RQ has the same gap: a job whose worker was killed stays "started" until RQ's own maintenance moves it to
the failed registry, where nothing looks. Each RQ worker therefore looks, with every heartbeat, for started
jobs whose worker is dead by RQ's own account (its key in Redis expired, or on this host its process gone)
and puts them back in the queue; and it hands to Redis the tasks that waited in the database while Redis
was away (background.hand_over_waiting).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

import django_rq
from django.db import close_old_connections, connection, transaction
from django.dispatch import Signal
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_rq.backend import Job as RQJob
from rq import Worker as RQWorker

from . import background, clock
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
LEASE = timedelta(seconds=60)  # four missed heartbeats
HEALTHY_WITHIN = timedelta(minutes=2)  # /healthz: a worker must have been seen this recently

# Sent by run_worker before its first task, in the process that (with RQ) forks a process per task: what a receiver
# loads then, every task has without loading it again (applications: the printed documents' fonts). A receiver that
# fails is logged and the worker starts all the same: its mails and reminders do not wait on the printing.
worker_starting = Signal()


def hostname():
    return socket.gethostname()


def beat(worker_id, backend_name, started_at):
    now = clock.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname()[:255], "pid": os.getpid(), "backend": backend_name, "seen_at": now},
        create_defaults={
            "hostname": hostname()[:255], "pid": os.getpid(), "backend": backend_name,
            "started_at": started_at, "seen_at": now,
        },
    )


def make_ready():
    worker_starting.send_robust(sender=None)  # a receiver's exception is logged by Django (logger django.dispatch)


def leave(worker_id):
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def latest_heartbeat():
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def _process_exists(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _is_alive(heartbeat, now):
    if heartbeat.seen_at < now - LEASE:
        return False
    if heartbeat.hostname == hostname():
        return _process_exists(heartbeat.pid)
    return True


def requeue_lost_tasks(my_worker_id):
    """Put back in the queue the running tasks of workers that died; return how many."""
    requeued = 0
    with transaction.atomic():
        running = list(DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING))
        # Read after the tasks: a worker writes its heartbeat before it claims anything, so every
        # claim seen above has its worker's heartbeat committed, and visible now.
        now = clock.now()
        heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.all()}
        dead = {worker_id for worker_id, h in heartbeats.items() if worker_id != my_worker_id and not _is_alive(h, now)}
        for result in running:
            worker_id = result.worker_ids[-1] if result.worker_ids else None
            unknown_and_old = worker_id not in heartbeats and result.started_at < now - LEASE
            if worker_id == my_worker_id or not (worker_id in dead or unknown_and_old):
                continue
            result.status, result.started_at = TaskResultStatus.READY, None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
            logger.warning("Task %s (%s) was running on worker %s, which has died; queued again",
                           result.id, result.task_path, worker_id)
        WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    return requeued


def _rq_worker_alive(name, redis):
    """RQ's own account of a worker: its key expires once it stops refreshing it; on this host, its process."""
    found = RQWorker.find_by_key(RQWorker.redis_worker_namespace_prefix + name, connection=redis)
    if found is None:
        return False
    if found.hostname == hostname() and found.pid:
        return _process_exists(found.pid)
    return True


def requeue_lost_rq_jobs(queue_name):
    """Put back in the RQ queue the started jobs whose worker died; return how many.

    Removing the job's entry from the started registry is the claim: of two workers looking at once,
    only the one whose ZREM removed it queues the job again.
    """
    queue = django_rq.get_queue(queue_name, job_class=RQJob)
    registry, redis = queue.started_job_registry, queue.connection
    requeued = 0
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        job = queue.fetch_job(job_id)
        if job is None or not job.worker_name or _rq_worker_alive(job.worker_name, redis):
            continue
        if redis.zrem(registry.key, f"{job_id}:{execution_id}"):
            queue.enqueue_job(job)
            requeued += 1
            logger.warning("Job %s (%s) was running on worker %s, which has died; queued again",
                           job_id, job.func_name, job.worker_name)
    return requeued


class Heartbeat(threading.Thread):
    """Writes this worker's heartbeat until stopped, and recovers the tasks of workers that died.

    ``queue`` is the RQ queue the worker serves, or None for the database queue.
    """

    def __init__(self, worker_id, backend_name, *, queue=None):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id, self.backend_name, self.queue = worker_id, backend_name, queue
        self.started_at = clock.now()
        self._stop_event = threading.Event()

    def beat_once(self):
        beat(self.worker_id, self.backend_name, self.started_at)
        if self.queue is None:
            requeue_lost_tasks(self.worker_id)
        else:
            requeue_lost_rq_jobs(self.queue)
            background.hand_over_waiting()

    def run(self):
        try:
            while not self._stop_event.wait(HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    self.beat_once()
                except Exception:
                    logger.exception("Worker %s could not write its heartbeat", self.worker_id)
        finally:
            connection.close()

    def stop(self):
        self._stop_event.set()
        self.join(HEARTBEAT_SECONDS)
