"""Scheduled jobs: each starts once per period, however many schedulers run at once."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from operations import clock, schedule
from operations.models import FailedTask, ScheduledJobRun

from .helpers import start

SHANGHAI = ZoneInfo("Asia/Shanghai")
RUNS = []


def record_a_run():
    RUNS.append(1)


def broken_job():
    raise ValueError("数据有误")


@pytest.fixture
def registry():
    """The project's registry, with two jobs of this test added; restored afterwards."""
    saved = dict(schedule._registry)
    RUNS.clear()
    yield schedule._registry
    schedule._registry.clear()
    schedule._registry.update(saved)


def test_every_app_registers_its_jobs():
    expected = {
        "accounts.retry_email": (timedelta(minutes=1), "发送到期的待发邮件"),
        "applications.expire_stale_renders": (timedelta(minutes=10), "将超时未完成的申请书打印任务标记为失败"),
        "operations.prune_task_results": (timedelta(days=1), "清理 30 天前已完成的后台任务记录"),
        "operations.prune_submitted_forms": (timedelta(days=1), "清理过期的一次性表单凭证"),
        "accounts.prune_audit_log": (schedule.MONTH, "清理超过保存期限的审计日志"),
        "evaluations.report_reminders": (schedule.DAY, "年度报告提醒（截止前 30 天、7 天及逾期次日）"),
    }
    assert {job.name: (job.every, job.title) for job in schedule.registered()} == expected


def test_a_daily_job_runs_once_a_day_at_its_hour(registry, db):
    schedule.register("test.daily", record_a_run, every=schedule.DAY, at=timedelta(hours=2), title="测试")
    registry_only_test_jobs(registry, "test.daily")
    at = lambda day, hour, minute=0: datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)  # noqa: E731
    assert schedule.start_due_jobs(at(10, 1, 59)) == ["test.daily"]  # never ran: the 9th's period is due
    assert schedule.start_due_jobs(at(10, 1, 59)) == []
    assert schedule.start_due_jobs(at(10, 2, 0)) == ["test.daily"]  # 02:00: a new period
    assert schedule.start_due_jobs(at(10, 2, 1)) == []
    assert schedule.start_due_jobs(at(10, 23, 59)) == []
    assert schedule.start_due_jobs(at(11, 2, 0)) == ["test.daily"]
    assert len(RUNS) == 3
    assert ScheduledJobRun.objects.get(name="test.daily").last_finished_at is not None


def test_a_failing_job_records_its_error_and_is_shown_as_failed(registry, db):
    schedule.register("test.broken", broken_job, every=schedule.HOUR, title="会出错的任务")
    registry_only_test_jobs(registry, "test.broken")
    assert schedule.start_due_jobs() == ["test.broken"]
    assert ScheduledJobRun.objects.get(name="test.broken").last_error == "ValueError: 数据有误"
    assert FailedTask.objects.get().title == "定时任务：会出错的任务"


def test_registration_is_checked():
    with pytest.raises(ImproperlyConfigured):
        schedule.register("test.too_often", record_a_run, every=timedelta(seconds=30), title="太频繁")
    with pytest.raises(ImproperlyConfigured):
        schedule.register("accounts.retry_email", record_a_run, every=schedule.HOUR, title="同名不同函数")


def registry_only_test_jobs(registry, *names):
    for name in list(registry):
        if name not in names:
            del registry[name]


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_start_each_job_once(tmp_path):
    """As on two servers whose timers fire in the same second: both queue into the database, once per job."""
    before = clock.now()
    schedulers = [start("run_scheduled_jobs", log=tmp_path / f"scheduler{n}.log") for n in (1, 2)]
    assert [process.wait(120) for process in schedulers] == [0, 0]
    after = clock.now()
    queued = Counter(task.args_kwargs["args"][0] for task in DBTaskResult.objects.filter(status=TaskResultStatus.READY))
    # Each job once per period: twice only if its period turned while the two ran (the every-minute one, when they
    # straddle a minute on a loaded machine), never twice in one period.
    periods = {job.name: 1 + (job.period_start(after) > job.period_start(before)) for job in schedule.registered()}
    assert sorted(queued) == sorted(periods)
    assert {name: n for name, n in queued.items() if n > periods[name]} == {}
    assert ScheduledJobRun.objects.filter(last_started_at__isnull=False).count() == len(periods)
    logs = [(tmp_path / f"scheduler{n}.log").read_text() for n in (1, 2)]
    assert sum(log.count("已启动定时任务") for log in logs) >= 1

    first_started = min(ScheduledJobRun.objects.values_list("last_started_at", flat=True))
    again = start("run_scheduled_jobs", log=tmp_path / "scheduler3.log")
    assert again.wait(120) == 0
    # Queued again: only a job whose period turned while the schedulers ran (the every-minute one, when the minute
    # changed on a loaded machine); each of them once more, nothing else.
    turned = sorted(job.name for job in schedule.registered()
                    if job.period_start(clock.now()) > job.period_start(first_started))
    every_task = Counter(task.args_kwargs["args"][0] for task in DBTaskResult.objects.all())
    queued_again = sorted((every_task - queued).elements())
    assert every_task.total() == queued.total() + len(queued_again)
    assert set(queued_again) <= set(turned) and len(set(queued_again)) == len(queued_again)
    assert len(periods) > len(turned)  # the check would see a job queued again in the same period
