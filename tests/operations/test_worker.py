"""Background work outlives its processes: a worker killed mid-queue leaves nothing lost or done twice."""

import signal
from pathlib import Path

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import notify
from accounts.models import OutgoingEmail
from accounts.roles import Role
from applications.dossier import jobs
from applications.models import DossierRender
from operations.models import WorkerHeartbeat
from tests import factories
from tests.applications.dossier import helpers as dossier

from .helpers import DATABASE_QUEUE, start, stop, wait_for
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_killed_worker_loses_no_render_and_no_email_and_does_none_twice(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    applicants = [factories.user(Role.APPLICANT) for _ in range(3)]
    renders = [
        jobs.request(dossier.application(applicant=applicant, with_attachments=False), applicant)
        for applicant in applicants
    ]
    applicant = applicants[0]
    notify.notify([applicant], "测试通知", "后台发送的邮件")  # autocommit: written and queued at once
    assert [r.state for r in renders] == ["pending"] * 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 4
    email = OutgoingEmail.objects.get()
    assert email.state == "pending"

    with SmtpSink() as smtp:
        mail = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp.port)}
        first = start("run_worker", "--interval", "0.2", log=tmp_path / "worker1.log", **mail)
        try:
            killed = wait_for(lambda: DossierRender.objects.filter(state="running").first(), timeout=60,
                              what="the first worker to start a render")
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        killed.refresh_from_db()
        assert killed.state == "running"  # killed mid-render
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1
        assert smtp.messages == []

        second = start("run_worker", "--interval", "0.2", log=tmp_path / "worker2.log", **mail)
        try:
            wait_for(lambda: DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).count() == 0,
                     timeout=120, what="the second worker to finish every task")
        finally:
            stop(second, tmp_path / "worker2.log")

    for render in renders:
        render.refresh_from_db()
        assert (render.state, render.error) == ("done", "")
    files = sorted(p.name for p in Path(settings.MEDIA_ROOT, "dossiers").rglob("*.pdf"))
    assert files == sorted(f"dossier-{r.application_id}-{r.pk}.pdf" for r in renders)  # one file each, none twice
    killed_task = DBTaskResult.objects.get(args_kwargs__args=[killed.pk, ""])
    assert len(killed_task.worker_ids) == 2  # claimed by the killed worker, run again by the second
    assert all(len(t.worker_ids) == 1 for t in DBTaskResult.objects.exclude(pk=killed_task.pk))
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
    assert len(smtp.messages) == 1 and f"To: {applicant.email}" in smtp.messages[0]
    assert WorkerHeartbeat.objects.count() == 0  # the killed worker's row was cleared, the stopped one left
    worker2_log = (tmp_path / "worker2.log").read_text()
    assert "which has died; queued again" in worker2_log
