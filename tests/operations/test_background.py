"""Failed work is retried with growing delays, then shown to the system administrator, who may re-run it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from operations.background import background_task
from operations.models import FailedTask
from tests import factories

from .helpers import DATABASE_QUEUE

CALLS = []


@background_task(title=lambda number: f"测试任务 {number}", retries=2, first_retry_after=timedelta(minutes=1))
def fails_three_times(number):
    CALLS.append(number)
    if len(CALLS) <= 3:
        raise ConnectionError(f"第 {len(CALLS)} 次失败")
    return number * 2


def work_off_the_queue():
    """One database worker, in this process, that runs whatever is due and then stops."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


def make_retry_due():
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection like a real one
def test_a_failing_task_is_retried_with_backoff_then_shown_as_failed_and_can_be_rerun(settings, client):
    settings.TASKS = DATABASE_QUEUE
    fails_three_times.enqueue(21)
    delays = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        work_off_the_queue()
        assert CALLS == [21] * attempt
        assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == attempt
        retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
        if attempt < 3:
            delays.append(round((retry.run_after - before).total_seconds() / 60))
            assert retry.args_kwargs == {"args": [21], "kwargs": {"_attempt": attempt + 1}}
            assert FailedTask.objects.count() == 0
            work_off_the_queue()  # not due yet: nothing runs
            assert CALLS == [21] * attempt
            make_retry_due()
        else:
            assert retry is None
    assert delays == [1, 2]

    failed = FailedTask.objects.get()
    assert (failed.title, failed.attempts, failed.error) == ("测试任务 21", 3, "ConnectionError: 第 3 次失败")
    assert "ConnectionError" in failed.traceback

    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("admin:operations_failedtask_changelist")).content.decode()
    assert "测试任务 21" in listing and "ConnectionError: 第 3 次失败" in listing
    response = client.post(reverse("admin:operations_failedtask_changelist"),
                           {"action": "rerun", "_selected_action": [failed.pk]}, follow=True)
    assert "已重新提交 1 个任务" in response.content.decode()
    work_off_the_queue()
    assert CALLS == [21] * 4
    latest = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert (latest.status, latest.return_value) == (TaskResultStatus.SUCCESSFUL, 42)
    failed.refresh_from_db()
    assert failed.rerun_by == admin.username and failed.rerun_at is not None

    response = client.post(reverse("admin:operations_failedtask_changelist"),
                           {"action": "rerun", "_selected_action": [failed.pk]}, follow=True)
    assert "此前已重新运行过" in response.content.decode()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


@pytest.mark.django_db
def test_without_a_worker_that_can_wait_the_first_failure_is_final():
    fails_three_times.enqueue(5)  # the immediate backend of the tests cannot defer a retry
    assert CALLS == [5]
    assert FailedTask.objects.get().attempts == 1


@pytest.mark.django_db
def test_only_the_system_administrator_sees_failed_tasks(client):
    client.force_login(factories.user(Role.MUNICIPAL_STAFF, is_staff=True))
    response = client.get(reverse("admin:operations_failedtask_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
