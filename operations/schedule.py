"""Scheduled jobs: one registry, filled by each app in its AppConfig.ready(), run by one command.

    from operations import schedule
    schedule.register("evaluations.report_reminders", send_report_reminders,
                      every=schedule.DAY, at=timedelta(hours=8), title="年度报告提醒")

``manage.py run_scheduled_jobs`` (from a systemd timer or cron, every minute, on any number of
servers) queues each job whose period has begun since it last started. The start is claimed with
one conditional UPDATE of the job's row, so two runs at the same moment, on one server or on
several, start each job once. The job itself runs as a background task, retried like any other.

Periods are counted in local time (TIME_ZONE) from Monday 2024-01-01 00:00: a daily job with
``at=timedelta(hours=2)`` runs at the first scheduler run after 02:00 each day.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from . import clock
from .background import background_task, enqueue
from .models import ScheduledJobRun

logger = logging.getLogger(__name__)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
MONTH = timedelta(days=30)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    function: object
    every: timedelta
    at: timedelta
    title: str

    def period_start(self, now):
        """The start of the period that ``now`` falls in."""
        epoch = datetime(2024, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)) + self.at
        return epoch + ((now - epoch) // self.every) * self.every


_registry: dict[str, ScheduledJob] = {}


def register(name, function, *, every, title, at=timedelta(0)):
    """Run ``function()`` once every ``every``, ``at`` after the start of each period (e.g. 02:00 daily)."""
    if every < MINUTE:
        raise ImproperlyConfigured(f"Scheduled job {name}: the scheduler runs once a minute, so every must be ≥ 1 minute")
    if not timedelta(0) <= at < every:
        raise ImproperlyConfigured(f"Scheduled job {name}: at must lie within one period")
    existing = _registry.get(name)
    if existing is not None and existing.function is not function:
        raise ImproperlyConfigured(f"Scheduled job {name} is registered twice with different functions")
    _registry[name] = ScheduledJob(name, function, every, at, title)


def registered():
    return [_registry[name] for name in sorted(_registry)]


def start_due_jobs(now=None):
    """Queue every job whose current period has not started it yet; return the names queued."""
    now = now or clock.now()
    started = []
    for job in registered():
        ScheduledJobRun.objects.get_or_create(name=job.name)
        # One UPDATE: of two schedulers running at once, only the first finds the condition still true.
        claimed = (
            ScheduledJobRun.objects.filter(name=job.name)
            .filter(Q(last_started_at__isnull=True) | Q(last_started_at__lt=job.period_start(now)))
            .update(last_started_at=now)
        )
        if claimed:
            enqueue(run_scheduled_job, job.name)
            started.append(job.name)
    return started


def _job_title(name):
    job = _registry.get(name)
    return f"定时任务：{job.title if job else name}"


@background_task(title=_job_title, retries=2, first_retry_after=timedelta(minutes=2))
def run_scheduled_job(name):
    job = _registry.get(name)
    if job is None:
        raise LookupError(f"定时任务“{name}”未注册（代码已删除或所在应用未启用）。")
    try:
        job.function()
    except Exception as error:
        ScheduledJobRun.objects.filter(name=name).update(
            last_finished_at=clock.now(), last_error=f"{type(error).__name__}: {error}"[:4000]
        )
        raise
    ScheduledJobRun.objects.filter(name=name).update(last_finished_at=clock.now(), last_error="")
