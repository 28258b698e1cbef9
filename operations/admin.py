from django.apps import apps
from django.contrib import admin, messages
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from . import background, schedule
from .models import FailedTask, OutboxTask, ScheduledJobRun, WorkerHeartbeat

# The database queue's own admin is in English and lists every task ever run; the system administrator
# needs the failures (below), which look the same on the database queue and on Redis.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
if apps.is_installed("django_rq"):  # Redis deployments: RQ's own dashboard is English-only as well
    from django_rq.models import Dashboard  # importable only when django_rq is an installed app

    if admin.site.is_registered(Dashboard):
        admin.site.unregister(Dashboard)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FailedTask)
class FailedTaskAdmin(ReadOnlyAdmin):
    list_display = ["failed_at", "title", "attempts", "short_error", "rerun_at", "rerun_by"]
    list_filter = [("rerun_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "error"]
    fields = ["title", "failed_at", "attempts", "error", "error_details", "task_path", "arguments", "rerun_at", "rerun_by"]
    readonly_fields = fields
    actions = ["rerun"]

    @admin.display(description="错误")
    def short_error(self, obj):
        return obj.error if len(obj.error) <= 80 else obj.error[:80] + "…"

    @admin.display(description="错误详情")
    def error_details(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback or "—")  # no style attribute: the CSP allows none

    def has_delete_permission(self, request, obj=None):
        return False  # kept as the record of what failed and who re-ran it; nobody deletes in the admin

    @admin.action(description="重新运行所选任务")
    def rerun(self, request, queryset):
        queued, gone, already = 0, [], 0
        for failed in queryset:
            if failed.rerun_at is not None:
                already += 1
            elif background.rerun(failed, request.user.get_username()):
                queued += 1
            else:
                gone.append(failed.title)
        if queued:
            self.message_user(request, f"已重新提交 {queued} 个任务，结果请稍后查看。", messages.SUCCESS)
        if already:
            self.message_user(request, f"{already} 个任务此前已重新运行过，未再次提交。", messages.WARNING)
        if gone:
            self.message_user(request, f"以下任务的程序已不存在，无法重新运行：{'、'.join(gone)}", messages.ERROR)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(ScheduledJobRun)
class ScheduledJobRunAdmin(ReadOnlyAdmin):
    list_display = ["title", "name", "period", "last_started_at", "last_finished_at", "last_error"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="名称")
    def title(self, obj):
        job = _registered().get(obj.name)
        return job.title if job else f"{obj.name}（已不再注册）"

    @admin.display(description="周期")
    def period(self, obj):
        job = _registered().get(obj.name)
        return _describe(job.every) if job else "—"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["hostname", "pid", "backend", "started_at", "seen_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnlyAdmin):
    """Tasks written while Redis could not take them; the task workers send them once it can (several servers)."""

    list_display = ["created_at", "title", "run_after"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="任务")
    def title(self, obj):
        return background.title_of(obj.task_path, obj.arguments)


def _registered():
    return {job.name: job for job in schedule.registered()}


def _describe(every):
    seconds = int(every.total_seconds())
    for size, unit in ((86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds % size == 0:
            return f"每 {seconds // size} {unit}"
    return f"每 {seconds} 秒"
