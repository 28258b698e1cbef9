"""/healthz tells the load balancer whether this server can work: database, task worker, file storage."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from operations import workers
from operations.logs import JsonFormatter
from operations.models import WorkerHeartbeat
from tests import factories

from .helpers import DATABASE_QUEUE

pytestmark = pytest.mark.django_db


def heartbeat(seconds_ago):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="web1", pid=4321, backend="database",
                                   started_at=now - timedelta(hours=1), seen_at=now - timedelta(seconds=seconds_ago))


def test_healthy_when_tasks_run_where_they_are_queued(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {"database": True, "worker": True, "storage": True}


def test_a_stopped_worker_makes_the_server_unhealthy(client, settings):
    settings.TASKS = DATABASE_QUEUE
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "没有正在运行的后台任务进程（没有任何心跳记录）"}

    heartbeat(seconds_ago=30)
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "ok")
    assert response.json()["checks"]["worker"]["detail"] == "后台任务进程运行中（最近一次心跳在 30 秒前）"

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - workers.HEALTHY_WITHIN - timedelta(seconds=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "后台任务进程已停止：最近一次心跳在 121 秒前"}
    assert "后台任务进程已停止" in response.content.decode()  # Chinese as written, not \\u escapes


def test_unwritable_storage_makes_the_server_unhealthy(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/healthz")
    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["ok"] is False and storage["detail"].startswith("文件存储不可写：")


def test_healthz_answers_plain_http_when_others_are_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


# --- request ids and JSON log lines ---


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def access_log():
    handler = Capture()
    logger = logging.getLogger("operations.access")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_every_response_carries_a_request_id_and_every_log_line_names_it_and_the_user(client, access_log):
    user = factories.user()
    client.force_login(user)
    response = client.get("/accounts/messages/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"
    entry = json.loads(access_log[-1])
    assert {key: entry[key] for key in ("level", "logger", "message", "request_id", "user_id", "method", "path", "status")} == {
        "level": "INFO", "logger": "operations.access", "message": "GET /accounts/messages/ 200",
        "request_id": "lb-7f3a.42", "user_id": user.pk, "method": "GET", "path": "/accounts/messages/", "status": 200,
    }


def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, access_log):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"forged": 1}')["X-Request-ID"]
    assert len(replaced) == 32 and replaced != generated
    assert [json.loads(line)["request_id"] for line in access_log] == [generated, replaced]
    assert json.loads(access_log[-1])["user_id"] is None


def test_log_lines_outside_a_request_have_no_request_id():
    record = logging.LogRecord("applications", logging.WARNING, __file__, 1, "渲染失败 %s", (7,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["message"], entry["request_id"], entry["user_id"]) == ("渲染失败 7", None, None)
