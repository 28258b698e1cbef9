"""Task workers: their heartbeat, and the recovery of tasks whose worker died while running them.

A worker writes its WorkerHeartbeat row every HEARTBEAT_SECONDS from a thread of its own, so a long
task does not silence it; /healthz reads the rows. The database queue marks a task RUNNING when a
worker claims it and nothing brings it back if that worker is killed (SIGKILL, power loss, OOM).
Each database worker therefore looks, when it starts and then with every heartbeat, for RUNNING
tasks whose worker is dead and puts them back in the queue. A worker is dead when its heartbeat is
older than LEASE, or at once when it ran on this host and its process is gone. Only dead workers'
tasks are requeued, so a task runs again only when its first run cannot finish.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
LEASE = timedelta(seconds=60)  # four missed heartbeats
HEALTHY_WITHIN = timedelta(minutes=2)  # /healthz: a worker must have been seen this recently


def hostname():
    return socket.gethostname()


def beat(worker_id, backend_name, started_at):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname()[:255], "pid": os.getpid(), "backend": backend_name, "seen_at": now},
        create_defaults={
            "hostname": hostname()[:255], "pid": os.getpid(), "backend": backend_name,
            "started_at": started_at, "seen_at": now,
        },
    )


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
        now = timezone.now()
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


class Heartbeat(threading.Thread):
    """Writes this worker's heartbeat until stopped; a database worker also recovers lost tasks."""

    def __init__(self, worker_id, backend_name, *, recover_lost_tasks):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id, self.backend_name = worker_id, backend_name
        self.recover_lost_tasks = recover_lost_tasks
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def beat_once(self):
        beat(self.worker_id, self.backend_name, self.started_at)
        if self.recover_lost_tasks:
            requeue_lost_tasks(self.worker_id)

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
