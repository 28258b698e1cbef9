from django.db import models

from . import clock


class WorkerHeartbeat(models.Model):
    """A running task worker, as it last reported itself; the row goes when the worker stops cleanly."""

    worker_id = models.CharField("进程标识", max_length=64, unique=True)
    hostname = models.CharField("主机名", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    backend = models.CharField("任务后端", max_length=32)
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务进程"
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class ScheduledJobRun(models.Model):
    """When a scheduled job last started, so that no server starts it twice within one period."""

    name = models.CharField("任务", max_length=100, unique=True)
    last_started_at = models.DateTimeField("最近开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("最近结束", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务运行记录"
        ordering = ["name"]

    def __str__(self):
        return self.name


class FailedTask(models.Model):
    """Background work that failed on every attempt; the system administrator reads the error and may re-run it."""

    title = models.CharField("任务", max_length=200)
    task_path = models.CharField("任务函数", max_length=200)
    arguments = models.JSONField("参数", default=dict)
    attempts = models.PositiveSmallIntegerField("已尝试次数")
    error = models.TextField("错误")
    traceback = models.TextField("错误详情", blank=True)
    failed_at = clock.DateTimeField("失败时间", auto_now_add=True, db_index=True)
    rerun_at = models.DateTimeField("重新运行时间", null=True, blank=True)
    rerun_by = models.CharField("重新运行人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "失败的后台任务"
        ordering = ["-failed_at", "-id"]
        indexes = [models.Index(fields=["failed_at"], condition=models.Q(rerun_at__isnull=True), name="failed_task_open")]

    def __str__(self):
        return self.title


class OutboxTask(models.Model):
    """A task for a queue outside the database (RQ on Redis), written in the transaction of the work it is about.

    It is handed to the queue once that transaction commits, and deleted in the transaction that handed it
    over; while Redis cannot be reached it waits here, and the task workers hand it over when Redis is back
    (operations.background.hand_over_waiting). So a task is never lost to a Redis outage or to a server that
    died between its commit and the hand-over.
    """

    task_path = models.CharField("任务函数", max_length=200)
    arguments = models.JSONField("参数", default=dict)
    run_after = models.DateTimeField("最早运行时间", null=True, blank=True)
    created_at = clock.DateTimeField("创建时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "待送入队列的后台任务"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.task_path


class SubmittedForm(models.Model):
    """A one-time form token spent by a submission (operations.once), and the page that showed its result."""

    token = models.CharField("表单凭证", max_length=40, unique=True)
    path = models.CharField("提交地址", max_length=300)
    result_url = models.CharField("结果页面", max_length=500, blank=True)
    created_at = clock.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "已提交的表单"
        ordering = ["-created_at"]

    def __str__(self):
        return self.path
