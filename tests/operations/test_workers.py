"""Which running tasks the worker puts back in the queue: only those of workers that are gone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from operations import workers
from operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def heartbeat(worker_id, *, host="web2", pid=1, seconds_ago=5):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=host, pid=pid, backend="database",
                                   started_at=now - timedelta(hours=1), seen_at=now - timedelta(seconds=seconds_ago))


def running_on(worker_id, *, started_seconds_ago=5):
    return DBTaskResult.objects.create(
        args_kwargs={"args": ["test"], "kwargs": {}}, task_path="operations.schedule.run_scheduled_job",
        backend_name="default", run_after=get_date_max(), status=TaskResultStatus.RUNNING, worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(seconds=started_seconds_ago),
    )


def test_only_the_tasks_of_dead_workers_are_queued_again():
    heartbeat("alive-elsewhere", host="web2", seconds_ago=10)
    heartbeat("silent-elsewhere", host="web3", seconds_ago=61)
    heartbeat("gone-here", host=workers.hostname(), pid=2**22 + 12345)  # beyond Linux's pid_max: no such process
    tasks = {
        "alive-elsewhere": running_on("alive-elsewhere"),
        "silent-elsewhere": running_on("silent-elsewhere"),
        "gone-here": running_on("gone-here"),
        "me": running_on("me"),
        "just-started": running_on("just-started"),  # no heartbeat row yet: a worker that is starting
        "long-unknown": running_on("long-unknown", started_seconds_ago=61),
    }
    assert workers.requeue_lost_tasks("me") == 3
    states = {name: DBTaskResult.objects.get(pk=task.pk).status for name, task in tasks.items()}
    assert states == {
        "alive-elsewhere": "RUNNING", "silent-elsewhere": "READY", "gone-here": "READY",
        "me": "RUNNING", "just-started": "RUNNING", "long-unknown": "READY",
    }
    assert sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive-elsewhere"]
