"""Several servers: the same tasks on Redis (RQ), run by the same `run_worker` command."""

import os
import signal

import pytest
import redis

from accounts.roles import Role
from applications.dossier import jobs
from applications.models import DossierRender
from operations.models import WorkerHeartbeat
from tests import factories
from tests.applications.dossier import helpers as dossier

from .helpers import start, wait_for

# A Redis database of its own: the test empties it before and after.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def rq(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"需要 Redis（{REDIS_URL}）：多服务器部署的任务队列")
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    yield connection
    connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_render_queued_on_redis_is_done_by_the_worker(rq, tmp_path):
    applicant = factories.user(Role.APPLICANT)
    render = jobs.request(dossier.application(applicant=applicant, with_attachments=False), applicant)
    assert render.state == "pending"
    assert rq.llen("rq:queue:default") == 1  # queued after commit, in Redis

    worker = start("run_worker", log=tmp_path / "worker.log", TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
    try:
        wait_for(lambda: DossierRender.objects.filter(pk=render.pk, state="done").exists(), timeout=90,
                 what="the RQ worker to render the dossier")
        assert list(WorkerHeartbeat.objects.values_list("backend", flat=True)) == ["rq"]
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        worker.kill()
    render.refresh_from_db()
    assert render.file.name.endswith(f"dossier-{render.application_id}-{render.pk}.pdf") and render.pages > 0
    assert WorkerHeartbeat.objects.count() == 0
