"""Several servers: the same tasks on Redis (RQ), run by the same `run_worker` command, through Redis's outages,
killed workers, killed task processes and tasks that run too long. Each test runs a Redis of its own."""

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from accounts.roles import Role
from applications.dossier import jobs
from applications.models import DossierRender
from benchmarks.cluster.processes import kill_tree
from operations import background
from operations.background import background_task
from operations.models import FailedTask, OutboxTask, WorkerHeartbeat
from tests import factories
from tests.applications.dossier import helpers as dossier

from .helpers import start, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture
def rq(settings, own_redis):
    settings.TASKS = RQ_QUEUE
    settings.RQ_QUEUES = {"default": {"URL": own_redis.url, "DEFAULT_TIMEOUT": settings.TASK_TIMEOUT_SECONDS}}
    return own_redis


def worker(own_redis, log, **overrides):
    return start("run_worker", log=log, TASKS_BACKEND="rq", REDIS_URL=own_redis.url, **overrides)


def calls_file():
    """Where the tasks below note each call: the test's media folder, which the worker is given too."""
    return Path(settings.MEDIA_ROOT) / "calls.txt"


def calls():
    return calls_file().read_text().split() if calls_file().exists() else []


def note_call(number):
    calls_file().parent.mkdir(parents=True, exist_ok=True)
    with calls_file().open("a") as handle:
        handle.write(f"{number}\n")
    return len(calls())


@background_task(title=lambda number: f"测试任务 {number}", retries=1, first_retry_after=timedelta(seconds=1))
def slow_the_first_time(number):
    if note_call(number) == 1:
        time.sleep(60)  # longer than the 3-second limit the test sets
    return number


@background_task(title=lambda number: f"测试任务 {number}", retries=1, first_retry_after=timedelta(seconds=1))
def killed_the_first_time(number):
    if note_call(number) == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer ends the biggest process
    return number


def test_a_render_queued_on_redis_is_done_by_the_worker(rq, tmp_path):
    applicant = factories.user(Role.APPLICANT)
    render = jobs.request(dossier.application(applicant=applicant, with_attachments=False), applicant)
    assert render.state == "pending"
    assert rq.client().llen("rq:queue:default") == 1  # handed to Redis after the commit
    assert OutboxTask.objects.count() == 0  # and no longer waiting in the database

    process = worker(rq, tmp_path / "worker.log")
    try:
        wait_for(lambda: DossierRender.objects.filter(pk=render.pk, state="done").exists(), timeout=90,
                 what="the RQ worker to render the dossier")
        assert list(WorkerHeartbeat.objects.values_list("backend", flat=True)) == ["rq"]
        process.send_signal(signal.SIGUSR1)  # what an operator does to a worker that will not stop: it tells where it is
        wait_for(lambda: 'File "' in (tmp_path / "worker.log").read_text(), timeout=10, what="the worker's stacks")
        assert "Thread 0x" in (tmp_path / "worker.log").read_text() and process.poll() is None  # and it goes on
    finally:
        stop(process, tmp_path / "worker.log")
    render.refresh_from_db()
    assert render.file.name.endswith(f"dossier-{render.application_id}-{render.pk}.pdf") and render.pages > 0
    assert WorkerHeartbeat.objects.count() == 0


def test_a_task_queued_in_a_transaction_reaches_redis_when_it_commits_and_never_if_it_rolls_back(rq):
    queue = rq.client()
    with transaction.atomic():
        background.enqueue(slow_the_first_time, 1)
        assert OutboxTask.objects.count() == 1 and queue.llen("rq:queue:default") == 0  # no worker looks for it yet
    assert OutboxTask.objects.count() == 0 and queue.llen("rq:queue:default") == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        background.enqueue(slow_the_first_time, 2)
        raise RuntimeError("the work it was about is rolled back")
    assert OutboxTask.objects.count() == 0 and queue.llen("rq:queue:default") == 1


def test_a_render_asked_for_while_redis_is_away_waits_in_the_database_and_is_done_when_redis_is_back(rq, tmp_path):
    applicant = factories.user(Role.APPLICANT)
    draft = dossier.application(applicant=applicant, with_attachments=False)
    rq.stop()
    render = jobs.request(draft, applicant)  # no error for the user: the print page says 排队中
    assert render.state == "pending"
    waiting = OutboxTask.objects.get()
    assert (waiting.task_path, waiting.arguments["args"][0]) == ("applications.dossier.jobs.render_dossier", render.pk)

    rq.start()  # an empty Redis: what it held before the outage does not matter here
    process = worker(rq, tmp_path / "worker.log")  # its heartbeat hands the waiting task to Redis
    try:
        wait_for(lambda: DossierRender.objects.filter(pk=render.pk, state="done").exists(), timeout=90,
                 what="the waiting render to be handed over and done")
    finally:
        stop(process, tmp_path / "worker.log")
    assert OutboxTask.objects.count() == 0


def test_a_worker_killed_mid_render_has_the_render_done_by_another_worker_once(rq, tmp_path):
    applicant = factories.user(Role.APPLICANT)
    render = jobs.request(dossier.application(applicant=applicant, with_attachments=False), applicant)
    first = worker(rq, tmp_path / "worker1.log")
    try:
        wait_for(lambda: DossierRender.objects.filter(pk=render.pk, state="running").exists(), timeout=90,
                 what="the first worker to start the render")
        kill_tree(first.pid)  # the worker, its task process and its scheduler, as when its server dies
        first.wait(10)
    finally:
        first.kill()
    render.refresh_from_db()
    assert render.state == "running"
    assert rq.client().zcard("rq:wip:default") == 1  # RQ still counts it as started, by a worker that is gone

    second = worker(rq, tmp_path / "worker2.log")
    try:
        wait_for(lambda: DossierRender.objects.filter(pk=render.pk, state="done").exists(), timeout=90,
                 what="the second worker to take over the render")
    finally:
        stop(second, tmp_path / "worker2.log")
    assert "which has died; queued again" in (tmp_path / "worker2.log").read_text()
    dossiers = [path.name for path in Path(settings.MEDIA_ROOT).rglob("dossier-*.pdf")]
    assert dossiers == [f"dossier-{render.application_id}-{render.pk}.pdf"]  # one file, not a second copy
    assert FailedTask.objects.count() == 0


def test_a_task_over_its_time_limit_is_stopped_and_retried(rq, tmp_path):
    settings.RQ_QUEUES["default"]["DEFAULT_TIMEOUT"] = 3  # the limit travels with each job, set where it is queued
    background.enqueue(slow_the_first_time, 7)
    process = worker(rq, tmp_path / "worker.log")
    started = time.monotonic()
    try:
        wait_for(lambda: len(calls()) == 2, timeout=60, what="the retry after the time limit")
        elapsed = time.monotonic() - started
    finally:
        stop(process, tmp_path / "worker.log")
    assert calls() == ["7", "7"]
    assert elapsed < 30  # stopped at 3 s, not after its 60-second sleep
    assert "failed (attempt 1 of 2); retrying at" in (tmp_path / "worker.log").read_text()
    assert "Task exceeded maximum timeout value (3 seconds)" in (tmp_path / "worker.log").read_text()
    assert FailedTask.objects.count() == 0  # the retry succeeded


def test_a_task_whose_process_is_killed_is_retried_as_its_policy_says(rq, tmp_path):
    background.enqueue(killed_the_first_time, 9)
    process = worker(rq, tmp_path / "worker.log")
    try:
        wait_for(lambda: len(calls()) == 2, timeout=60, what="the retry after the task's process was killed")
        wait_for(lambda: rq.client().zcard("rq:finished:default") == 1, timeout=30, what="the retry to finish")
    finally:
        stop(process, tmp_path / "worker.log")
    assert calls() == ["9", "9"]
    assert "retrying at" in (tmp_path / "worker.log").read_text()  # a failed attempt, retried like any other
    assert FailedTask.objects.count() == 0
