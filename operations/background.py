"""Background work on Django's tasks API (the django-tasks backport on Django 5.2).

Every slow or retried piece of work is a task declared with ``@background_task``: a django task
whose failures are retried with doubling delays and, once every attempt has failed, recorded as a
FailedTask that the system administrator reads and may re-run (admin: 运行维护 → 失败的后台任务).

Which backend runs the tasks is a setting (``TASKS_BACKEND``): the database queue and its worker
on one server, RQ on Redis across several, or the immediate backend in tests. Task code is the
same for all three. A task must be safe to run again: a worker killed mid-task has it run once more,
and a task handed to Redis whose hand-over was not recorded (the database went away just then) is
handed over a second time.
"""

import functools
import logging
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connections, transaction
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from . import clock
from .models import FailedTask, OutboxTask

logger = logging.getLogger(__name__)

# The keyword that carries the attempt number from one try to the next; the task function never sees it.
ATTEMPT = "_attempt"


@dataclass(frozen=True)
class _Policy:
    title: Callable[..., str]
    retries: int
    first_retry_after: timedelta
    on_give_up: Callable[..., object] | None


# The retry policy of each declared task, by its import path.
declared_policies: dict[str, _Policy] = {}


def background_task(*, title, retries=3, first_retry_after=timedelta(minutes=1), on_give_up=None):
    """Declare a task: ``retries`` more attempts after a failure, 1, 2, 4 … × ``first_retry_after`` apart.

    ``title(*args, **kwargs)`` names one run of the task in Chinese for the administrator's list of
    failures. ``on_give_up(*args, **kwargs)`` runs once when the last attempt has failed, e.g. to
    tell the user that their render failed. A backend that cannot wait (the immediate backend of
    the tests) gives up at the first failure.
    """

    def decorate(function):
        @functools.wraps(function)
        def attempt(*args, **kwargs):
            number = kwargs.pop(ATTEMPT, 1)
            try:
                return function(*args, **kwargs)
            except Exception as error:
                _after_failure(declared, number, args, kwargs, error)
                raise

        declared = task(attempt)
        declared_policies[declared.module_path] = _Policy(title, retries, first_retry_after, on_give_up)
        return declared

    return decorate


def retry_delay(policy, attempt):
    """The wait after the given failed attempt: first_retry_after, then twice as long each time."""
    return policy.first_retry_after * 2 ** (attempt - 1)


def _after_failure(declared, attempt, args, kwargs, error):
    policy = declared_policies[declared.module_path]
    try:
        if attempt <= policy.retries and declared.get_backend().supports_defer:
            run_after = clock.now() + retry_delay(policy, attempt)
            _send(declared, args, {**kwargs, ATTEMPT: attempt + 1}, run_after=run_after)
            logger.warning(
                "Task %s failed (attempt %d of %d); retrying at %s: %s", declared.module_path, attempt,
                policy.retries + 1, clock.localtime(run_after).isoformat(timespec="seconds"), error,
            )
            return
        logger.error("Task %s failed (attempt %d); giving up: %s", declared.module_path, attempt, error)
        if policy.on_give_up is not None:
            policy.on_give_up(*args, **kwargs)
        record_failure(
            title=_title(policy, args, kwargs), task=declared, args=args, kwargs=kwargs, attempts=attempt,
            error=error, details="".join(traceback.format_exception(error)),
        )
    except Exception:
        # The database or the queue is down as well: the log is all that is left.
        logger.exception("Could not record the failure of task %s", declared.module_path)


def title_of(task_path, arguments):
    """How the administrator's lists name one run of a task, from its import path and stored arguments."""
    policy = declared_policies.get(task_path)
    if policy is None:
        return task_path
    return _title(policy, arguments.get("args", []), arguments.get("kwargs", {}))


def _title(policy, args, kwargs):
    try:
        return policy.title(*args, **kwargs)[:200]
    except Exception:
        logger.exception("Could not name a failed task")
        return "后台任务"


def record_failure(*, title, task, args, kwargs, attempts, error, details=""):
    """Show a piece of work that gave up to the system administrator, with a way to run it again."""
    return FailedTask.objects.create(
        title=title[:200], task_path=task.module_path, arguments={"args": list(args), "kwargs": kwargs},
        attempts=attempts, error=f"{type(error).__name__}: {error}"[:4000], traceback=details,
    )


class WorkProcessKilled(Exception):
    """The process running a task was killed from outside (the kernel's OOM killer, a signal)."""


def work_horse_killed(job, retpid, ret_val, rusage):
    """RQ's work_horse_killed_handler: a task whose process was killed counts as a failed attempt.

    RQ itself would only move the job to its failed registry, where nobody looks: the render would wait
    for ever. Here the task is retried, or given up on and shown to the administrator, as its policy says,
    as if it had raised. Runs in the worker's main process, which forks the next task's process.
    """
    try:
        kwargs = dict(job.kwargs)
        attempt = kwargs.pop(ATTEMPT, 1)
        how = f"信号 {os.WTERMSIG(ret_val)}" if ret_val and os.WIFSIGNALED(ret_val) else f"退出状态 {ret_val}"
        _after_failure(job.func, attempt, tuple(job.args), kwargs, WorkProcessKilled(f"执行任务的进程被终止（{how}）"))
    finally:
        connections.close_all()  # the next task's process is forked from this one: it must not share our connection


def enqueue(declared, *args, **kwargs):
    """Queue a task about the work the caller is writing now.

    The database backend's task row belongs to the caller's transaction: it commits, or rolls back,
    with the rows the task is about. The immediate backend runs the task here and now. A queue outside
    the database (RQ on Redis) gets the task once the transaction commits, so that a worker never looks
    for rows that are not there yet; until it has it, the task waits as an OutboxTask row written in
    that same transaction (see hand_over_waiting). Outside a transaction the task goes to Redis at
    once, and waits in the database only if Redis cannot take it.
    """
    _send(declared, args, kwargs)


def _send(declared, args, kwargs, run_after=None):
    task = declared if run_after is None else declared.using(run_after=run_after)
    if isinstance(declared.get_backend(), (DatabaseBackend, ImmediateBackend)):
        task.enqueue(*args, **kwargs)
        return
    if not transaction.get_connection().in_atomic_block:
        # Nothing to wait for: straight to Redis. A retry queued by a task that failed because the database
        # is away gets there too; the database is needed only when Redis is away as well.
        try:
            task.enqueue(*args, **kwargs)
            return
        except Exception as error:
            logger.warning("Could not hand %s to the queue; it waits in the database: %s: %s",
                           declared.module_path, type(error).__name__, error)
            _wait(declared, args, kwargs, run_after)
            return
    waiting = _wait(declared, args, kwargs, run_after)
    transaction.on_commit(functools.partial(_hand_over_after_commit, waiting.pk))


def _wait(declared, args, kwargs, run_after):
    return OutboxTask.objects.create(
        task_path=declared.module_path, arguments={"args": list(args), "kwargs": kwargs}, run_after=run_after,
    )


def _hand_over_after_commit(pk):
    try:
        _hand_over(pk)
    except Exception as error:  # Redis is away: the task waits in the database for the workers' next round
        logger.warning("Could not hand task %s to the queue; it waits for the next round: %s: %s", pk, type(error).__name__, error)


def _hand_over(pk):
    """Send one waiting task to its queue and delete its row, in one transaction (two processes never both send it)."""
    with transaction.atomic():
        waiting = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if waiting is None:  # sent already, or being sent by another process now
            return
        args, kwargs = waiting.arguments.get("args", []), waiting.arguments.get("kwargs", {})
        try:
            declared = import_string(waiting.task_path)
        except ImportError as error:  # its code was removed while it waited: shown to the administrator
            FailedTask.objects.create(title=f"后台任务（{waiting.task_path}）", task_path=waiting.task_path,
                                      arguments=waiting.arguments, attempts=0, error=f"ImportError: {error}")
        else:
            (declared if waiting.run_after is None else declared.using(run_after=waiting.run_after)).enqueue(*args, **kwargs)
        waiting.delete()


def hand_over_waiting(limit=500):
    """Send the tasks still waiting for their queue (Redis was away); return how many. The RQ workers run it."""
    sent = 0
    for pk in OutboxTask.objects.values_list("pk", flat=True)[:limit]:
        _hand_over(pk)  # raises while Redis is still away: the rest wait for the next round
        sent += 1
    return sent


def rerun(failed, username):
    """Queue a failed task again, as a first attempt; returns False when its code no longer exists."""
    try:
        declared = import_string(failed.task_path)
    except ImportError:
        return False
    if not isinstance(declared, Task):
        return False
    with transaction.atomic():
        locked = FailedTask.objects.select_for_update().get(pk=failed.pk)
        if locked.rerun_at is not None:
            return True
        enqueue(declared, *locked.arguments.get("args", []), **locked.arguments.get("kwargs", {}))
        locked.rerun_at, locked.rerun_by = clock.now(), username
        locked.save(update_fields=["rerun_at", "rerun_by"])
    failed.refresh_from_db()
    return True


def default_backend():
    """The backend tasks go to, as the settings say now (tests may change them)."""
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def uses_worker():
    """Whether tasks wait for a worker process (database or RQ backend) rather than run where they are queued."""
    return not isinstance(default_backend(), ImmediateBackend)
