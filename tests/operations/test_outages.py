"""The database, the bucket or Redis away: the user is told which, nothing is half-written, and nothing is a 500."""

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from applications.choices import Status
from applications.models import Attachment
from benchmarks.cluster.processes import free_port
from dashboards import public
from operations import outages, views
from operations.checks import several_servers
from operations.models import OutboxTask
from tests import factories
from tests.applications.dossier import helpers as dossier
from tests.applications.intake_helpers import pdf_bytes, upload
from tests.lifecycle import cast_at

from .helpers import serve

STORAGE_DOWN_PAGE = "文件存储服务暂时无法连接，文件暂时不能上传或下载。"
DATABASE_DOWN_PAGE = "数据库暂时不可用，本次操作可能没有完成。"


def client_error(status):
    return ClientError({"Error": {"Code": "X"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetObject")


@pytest.mark.parametrize(("error", "told"), [
    (OperationalError("connection refused"), outages.DATABASE_DOWN),
    (EndpointConnectionError(endpoint_url="http://minio:9000"), outages.STORAGE_DOWN),
    (client_error(503), outages.STORAGE_DOWN),
    (client_error(404), None),  # a missing file is not an outage: its page says so (404)
    (ValueError("a bug"), None),  # a fault of the portal stays a 500
])
def test_an_outage_is_told_apart_from_a_fault(error, told):
    assert outages.reason(error) == told
    try:
        raise RuntimeError("raised while handling it") from error
    except RuntimeError as wrapped:
        assert outages.reason(wrapped) == told


@pytest.mark.django_db
def test_a_session_the_database_went_away_under_is_an_outage_not_a_bad_request(rf):
    # What the trial's PostgreSQL restart produced (make trial-cluster): the session middleware saving a session
    # while the database shut down turns OperationalError → UpdateError → SessionInterrupted, which Django answers 400.
    try:
        try:
            try:
                raise OperationalError("FATAL:  the database system is shutting down")
            except OperationalError:
                raise UpdateError()
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted before the request completed.")
    except SessionInterrupted as interrupted:
        response = views.bad_request(rf.get("/overview/statistics/"), interrupted)
    assert response.status_code == 503
    assert DATABASE_DOWN_PAGE in response.content.decode()
    refused = views.bad_request(rf.get("/"), SuspiciousOperation("a forged request"))
    assert refused.status_code == 400 and "请求无法处理" in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_server_whose_database_is_away_answers_503_saying_so_not_500(tmp_path):
    server, base = serve(log=tmp_path / "web.log", DATABASE_URL=f"postgres://portal@127.0.0.1:{free_port()}/zhenjiang")
    try:
        page = requests.get(f"{base}/public/", timeout=30)
        health = requests.get(f"{base}/healthz", timeout=30)
    finally:
        server.kill()
        server.wait(10)
    assert page.status_code == 503
    assert DATABASE_DOWN_PAGE in page.text and "已经保存的内容不会丢失" in page.text
    assert page.headers["Retry-After"] == "30"
    assert health.status_code == 503
    assert health.json()["checks"]["database"]["ok"] is False
    assert health.json()["checks"]["database"]["detail"].startswith("数据库不可用：OperationalError")


@pytest.fixture
def bucket_away(settings):
    """The default storage is a bucket whose server does not answer (nothing listens on its port)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "endpoint_url": f"http://127.0.0.1:{free_port()}", "bucket_name": "zhenjiang-test", "access_key": "test",
        "secret_key": "test", "region_name": "us-east-1", "default_acl": None, "file_overwrite": False,
        "client_config": Config(s3={"addressing_style": "path"}, signature_version="s3v4", connect_timeout=1,
                                retries={"mode": "standard", "max_attempts": 1}),
    }}}


@pytest.mark.django_db
def test_an_upload_the_bucket_cannot_take_is_refused_beside_its_field_and_nothing_is_kept(bucket_away, client):
    applicant = factories.user(Role.APPLICANT)
    draft = dossier.application(applicant=applicant, with_attachments=False)
    client.force_login(applicant)
    before = draft.lock_version
    response = client.post(reverse("applications:attachments", args=[draft.consortium_id]), {
        "unit": applicant.unit_id, "kind": "license", "title": "营业执照（正本）", "file": upload("营业执照.pdf", pdf_bytes(), "application/pdf"),
    })
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [outages.UPLOAD_UNAVAILABLE]}
    assert 'value="营业执照（正本）"' in response.content.decode()  # what was typed stays
    assert Attachment.objects.count() == 0
    draft.refresh_from_db()
    assert draft.lock_version == before  # the save around it was rolled back too


@pytest.mark.django_db
def test_a_download_while_the_bucket_is_away_is_a_503_page_saying_so(bucket_away):
    applicant = factories.user(Role.APPLICANT)
    draft = dossier.application(applicant=applicant, with_attachments=False)
    stored = Attachment.objects.create(
        consortium=draft.consortium, unit=applicant.unit, kind="license", title="营业执照", file="attachments/licence.pdf",
        original_name="营业执照.pdf", content_type="application/pdf", size=1000, sha256="0" * 64,
    )
    browser = Client(raise_request_exception=False)  # as a server answers: through handler500
    browser.force_login(applicant)
    response = browser.get(reverse("applications:attachment", args=[stored.pk]))
    assert response.status_code == 503
    assert STORAGE_DOWN_PAGE in response.content.decode()


@pytest.mark.django_db
def test_healthz_names_the_storage_while_the_bucket_is_away(bucket_away, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["storage"]["ok"] is False
    assert checks["storage"]["detail"].startswith("文件存储不可写：EndpointConnectionError")


@pytest.mark.django_db(transaction=True)
def test_the_public_list_and_a_filing_go_on_while_the_redis_cache_is_away(settings, own_redis, client):
    settings.CACHES = {"default": {"BACKEND": "operations.cache.RedisCache", "LOCATION": own_redis.url, "KEY_PREFIX": "zj",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    cast = cast_at(Status.UNDER_APPRAISAL)
    assert client.get(reverse("dashboards:public")).status_code == 200
    assert cache.get(f"{public.GENERATION_KEY}") == 1  # the page is kept in Redis while it answers

    own_redis.stop()
    cast.take("file")  # its renewal of the public page cannot reach Redis: the filing stands all the same
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.FILED
    response = client.get(reverse("dashboards:public"))
    assert response.status_code == 200
    assert cast.consortium.name in response.content.decode()  # computed from the database, not from a stale copy
    city = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(city)
    assert client.get(reverse("dashboards:statistics")).status_code == 200


def test_several_servers_are_warned_off_a_disk_and_a_cache_of_their_own(settings):
    settings.TASKS_BACKEND, settings.MEDIA_STORAGE, settings.CACHE_BACKEND = "rq", "local", "locmem"
    assert [warning.id for warning in several_servers(None)] == ["operations.W001", "operations.W002"]
    settings.MEDIA_STORAGE, settings.CACHE_BACKEND = "s3", "redis"
    assert several_servers(None) == []
    settings.TASKS_BACKEND, settings.MEDIA_STORAGE, settings.CACHE_BACKEND = "database", "local", "locmem"
    assert several_servers(None) == []  # one server: its own disk and cache are right


@pytest.mark.django_db
def test_the_system_administrator_sees_the_tasks_waiting_for_redis(client):
    OutboxTask.objects.create(task_path="applications.dossier.jobs.render_dossier", arguments={"args": [17, ""], "kwargs": {}})
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    listing = client.get(reverse("admin:operations_outboxtask_changelist"))
    assert listing.status_code == 200
    assert "生成申请书打印文件（打印记录 17）" in listing.content.decode()  # named as the failed-task list names it
    client.force_login(factories.user(Role.MUNICIPAL_STAFF, is_staff=True))
    assert client.get(reverse("admin:operations_outboxtask_changelist")).status_code == 302
