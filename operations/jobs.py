"""This app's own scheduled jobs (the other apps register theirs in their AppConfig.ready())."""

from datetime import timedelta

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import clock, once, schedule

KEEP_TASK_RESULTS = timedelta(days=30)


def prune_task_results():
    """Delete the database queue's records of tasks that finished more than KEEP_TASK_RESULTS ago."""
    return DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=clock.now() - KEEP_TASK_RESULTS,
    ).delete()[0]


schedule.register(
    "operations.prune_task_results", prune_task_results, every=schedule.DAY, at=timedelta(hours=3),
    title="清理 30 天前已完成的后台任务记录",
)
schedule.register(
    "operations.prune_submitted_forms", once.prune, every=schedule.DAY, at=timedelta(hours=3, minutes=10),
    title="清理过期的一次性表单凭证",
)
