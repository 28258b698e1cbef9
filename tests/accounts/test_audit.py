import csv
import io
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts import audit_actions as accounts_actions
from accounts.exports import safe_cell, safe_row
from accounts.middleware import AuditMiddleware
from accounts.models import AuditEvent, AuditLogIsAppendOnly, Bureau
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db



def event(action=accounts_actions.LOGIN, days_ago=0, **fields):
    fields.setdefault("username", "zhang")
    return AuditEvent.objects.create(action=action, created_at=timezone.now() - timedelta(days=days_ago), **fields)


# --- Append-only ---------------------------------------------------------------------------------


def test_an_event_can_be_written_but_never_changed_or_deleted_through_the_orm():
    written = audit.record(accounts_actions.LOGIN, username="zhang", detail="原始内容")
    assert AuditEvent.objects.filter(detail="原始内容").count() == 1
    written.detail = "改过的内容"
    with pytest.raises(AuditLogIsAppendOnly, match="审计日志只能追加，不能修改或删除"):
        written.save()
    with pytest.raises(AuditLogIsAppendOnly):
        written.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=written.pk).update(detail="改过的内容")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=written.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([written], ["detail"])
    assert list(AuditEvent.objects.values_list("detail", flat=True)) == ["原始内容"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_updates_and_deletes_of_recent_events_from_any_client():
    recent = event(days_ago=179)
    old = event(days_ago=181)
    with connection.cursor() as cursor:
        for sql in ("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s",
                    "DELETE FROM accounts_auditevent WHERE id = %s"):
            with pytest.raises(DatabaseError, match="accounts_auditevent is append-only"), transaction.atomic():
                cursor.execute(sql, [recent.pk])
        with pytest.raises(DatabaseError, match="accounts_auditevent is append-only"), transaction.atomic():
            cursor.execute("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s", [old.pk])
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [old.pk])
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_pruning_keeps_at_least_180_days_and_records_that_it_ran():
    with pytest.raises(ValueError, match=r"^审计日志至少保留 180 天（《网络安全法》第二十一条），不能只保留 179 天。$"):
        audit.prune(179)
    kept = event(days_ago=179)
    event(days_ago=181)
    event(days_ago=400)
    assert audit.prune(180) == 2
    remaining = AuditEvent.objects.order_by("id")
    assert [e.pk for e in remaining][:1] == [kept.pk]
    pruned = remaining.get(action=accounts_actions.AUDIT_PRUNED)
    assert pruned.detail == "保留 180 天，删除 2 条。"
    assert pruned.target.endswith("之前的审计日志")


def test_the_prune_command_refuses_fewer_than_180_days_and_prunes_otherwise():
    event(days_ago=200)
    with pytest.raises(CommandError, match="审计日志至少保留 180 天"):
        call_command("prune_audit_log", "--days", "30")
    assert AuditEvent.objects.count() == 1
    out = io.StringIO()
    call_command("prune_audit_log", stdout=out)
    assert out.getvalue() == "已删除 1 条 180 天之前的审计日志。\n"
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [accounts_actions.AUDIT_PRUNED]


def test_text_a_client_typed_is_recorded_even_with_nul_characters():
    written = audit.record(accounts_actions.LOGIN_FAILED, username="ad\x00min", target="a\x00", detail="\x00")
    written = AuditEvent.objects.get(pk=written.pk)
    assert (written.username, written.target, written.detail) == ("ad\\x00min", "a\\x00", "\\x00")


def test_a_model_instance_is_named_by_its_kind_name_and_number():
    bureau = Bureau.objects.get(district="京口区")
    written = audit.record(accounts_actions.ADMIN_CHANGE, target=bureau)
    assert written.target == f"科技主管部门 京口区科学技术局（#{bureau.pk}）"


# --- Client address -----------------------------------------------------------------------------


NGINX = "127.0.0.1"
BALANCER = "10.0.0.5"


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        # No trusted proxy: the header is the client's own word, never believed.
        ([], "10.0.0.9", "203.0.113.5", "10.0.0.9"),
        # nginx on the same server, nothing in front: the entry nginx added.
        (["127.0.0.1", "::1"], NGINX, "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1", "::1"], NGINX, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the left entry came from the client
        # A request that did not come through nginx: its header is not believed.
        (["127.0.0.1", "::1"], "203.0.113.66", "1.2.3.4", "203.0.113.66"),
        # The chain client → load balancer → nginx → gunicorn: nginx appended the balancer, the balancer the client.
        ([NGINX, BALANCER], NGINX, f"203.0.113.5, {BALANCER}", "203.0.113.5"),
        ([NGINX, BALANCER], NGINX, f"6.6.6.6, 203.0.113.5, {BALANCER}", "203.0.113.5"),  # a forged entry is skipped
        (["127.0.0.1", "10.0.0.0/24"], NGINX, f"203.0.113.5, 10.0.0.7, {BALANCER}", "203.0.113.5"),  # a network
        # Only the nginx trusted: the balancer is taken for the client (the deployment's mistake, not a spoof).
        ([NGINX], NGINX, f"203.0.113.5, {BALANCER}", BALANCER),
        # A malformed entry ends the walk at the last trusted hop; an empty header means the peer itself.
        ([NGINX, BALANCER], NGINX, f"not-an-address, {BALANCER}", BALANCER),
        ([NGINX], NGINX, None, NGINX),
        ([NGINX, BALANCER], NGINX, f"{BALANCER}", BALANCER),  # every hop trusted: the left-most of them
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
        ([NGINX], "::ffff:127.0.0.1", "203.0.113.5", "203.0.113.5"),  # an IPv4 peer on a dual-stack socket
    ],
)
def test_the_client_address_is_the_right_most_one_that_is_not_a_trusted_proxy(settings, trusted, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    assert audit.client_ip(request) == expected


def test_behind_a_load_balancer_thirty_clients_failing_do_not_lock_out_a_user_and_the_log_names_each_client(client, settings):
    """Issue 19.1: behind the balancer every request reaches gunicorn from nginx with the balancer's entry last."""
    settings.TRUSTED_PROXIES = [NGINX, BALANCER]
    user = factories.user(Role.EXPERT)
    for n in range(30):
        refused = client.post(reverse("accounts:login"), {"username": f"guess{n}", "password": "Wrong#2026x"},
                              REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"9.9.9.9, 203.0.113.{n + 1}, {BALANCER}")
        assert refused.status_code == 200
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {f"203.0.113.{n + 1}" for n in range(30)}
    signed = client.post(reverse("accounts:login"), {"username": user.username, "password": "Test@pass2026"},
                         REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.7, {BALANCER}")
    assert signed.status_code == 302
    assert AuditEvent.objects.get(action=accounts_actions.LOGIN).ip == "198.51.100.7"


def test_with_only_nginx_trusted_the_same_thirty_failures_lock_the_balancer_out(client, settings):
    """The other way: leaving the balancer out of TRUSTED_PROXIES lumps every client into its address."""
    settings.TRUSTED_PROXIES = [NGINX]
    user = factories.user(Role.EXPERT)
    for n in range(30):
        client.post(reverse("accounts:login"), {"username": f"guess{n}", "password": "Wrong#2026x"},
                    REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}, {BALANCER}")
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {BALANCER}
    assert AuditEvent.objects.filter(action=accounts_actions.LOCKED_OUT).count() == 1
    locked = client.post(reverse("accounts:login"), {"username": user.username, "password": "Test@pass2026"},
                         REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.7, {BALANCER}")
    assert locked.status_code == 429
    assert locked.context["locked_message"].startswith("当前网络地址 1 小时内登录失败已达 30 次")


# --- Refused access -----------------------------------------------------------------------------


def test_a_404_answered_to_a_signed_in_user_is_recorded_once_with_the_reason(client):
    applicant = factories.user(Role.APPLICANT)
    other = factories.consortium()
    client.force_login(applicant)
    url = reverse("applications:detail", args=[other.pk])
    assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 404
    refused = AuditEvent.objects.get(action=accounts_actions.ACCESS_DENIED)
    assert (refused.username, refused.role, refused.ip, refused.target, refused.detail, refused.success) == (
        applicant.username, Role.APPLICANT, "10.1.1.1", url, "HTTP 404 GET：没有找到该申请。", False,
    )


def test_a_403_is_recorded_with_the_role_check_reason_and_django_own_404_text_is_replaced(client):
    client.force_login(factories.user(Role.EXPERT))
    assert client.get(reverse("dashboards:municipal")).status_code == 403
    assert client.get("/no/such/page/").status_code == 404
    details = list(AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED).order_by("id").values_list("detail", flat=True))
    assert details == ["HTTP 403 GET：您的角色无权访问此页面。", "HTTP 404 GET：对象不存在或无权查看"]


def test_refusals_to_anonymous_visitors_and_missing_static_files_are_not_recorded(client):
    assert client.get("/no/such/page/").status_code == 404
    client.force_login(factories.user(Role.EXPERT))
    assert client.get("/static/css/missing.css").status_code == 404
    assert client.get("/favicon.ico").status_code == 404
    assert client.get(reverse("dashboards:expert")).status_code == 200
    assert not AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED).exists()


def test_a_refusal_the_view_recorded_itself_is_not_recorded_again():
    user = factories.user(Role.EXPERT)

    def view(request):
        audit.record(accounts_actions.ACCESS_DENIED, request=request, success=False, detail="视图自己记录")
        return HttpResponse(status=403)

    request = RequestFactory().get("/reviews/assignments/1/")
    request.user = user
    assert AuditMiddleware(view)(request).status_code == 403
    assert list(AuditEvent.objects.values_list("detail", flat=True)) == ["视图自己记录"]


def test_the_middleware_takes_the_reason_from_permission_denied():
    middleware = AuditMiddleware(lambda request: HttpResponse(status=403))
    request = RequestFactory().get("/x/")
    request.user = factories.user(Role.EXPERT)
    middleware.process_exception(request, PermissionDenied("只有单位所在辖市区的科技部门可以审核该注册。"))
    middleware(request)
    assert AuditEvent.objects.get().detail == "HTTP 403 GET：只有单位所在辖市区的科技部门可以审核该注册。"


# --- The Django admin ---------------------------------------------------------------------------


def test_every_admin_addition_and_change_is_audited_with_the_object_the_fields_and_the_address(client):
    admin_user = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin_user)
    client.post("/admin/accounts/bureau/add/", {"name": "测试科技局", "district": "测试区", "kind": "district",
                                                "sort_order": "9", "is_active": "on"}, REMOTE_ADDR="10.2.2.2")
    bureau = Bureau.objects.get(name="测试科技局")
    expert = factories.user(Role.EXPERT)
    response = client.post(f"/admin/accounts/user/{expert.pk}/change/", {
        "username": expert.username, "full_name": expert.full_name, "email": expert.email, "phone": "",
        "employer": "", "role": Role.MUNICIPAL_STAFF, "bureau": factories.municipal_bureau().pk, "unit": "",
        "is_active": "on", "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action__in=[accounts_actions.ADMIN_ADD, accounts_actions.ADMIN_CHANGE]).order_by("id")
    assert [(e.action, e.username, e.role, e.ip, e.target, e.detail) for e in events] == [
        (accounts_actions.ADMIN_ADD, admin_user.username, Role.SYSTEM_ADMIN, "10.2.2.2", f"科技主管部门 测试科技局（#{bureau.pk}）", "已添加。"),
        (accounts_actions.ADMIN_CHANGE, admin_user.username, Role.SYSTEM_ADMIN, "10.2.2.2", f"用户 {expert.full_name}（#{expert.pk}）",
         "已修改角色 和 所属机构。"),
    ]


def test_an_admin_deletion_is_audited_and_the_bulk_delete_action_is_gone(client):
    admin_user = factories.user(Role.SYSTEM_ADMIN)
    bureau = Bureau.objects.get(district="京口区")
    LogEntry.objects.log_actions(admin_user.pk, [bureau], DELETION)
    deleted = AuditEvent.objects.get(action=accounts_actions.ADMIN_DELETE)
    assert (deleted.username, deleted.target, deleted.detail) == (
        admin_user.username, f"科技主管部门 京口区科学技术局（#{bureau.pk}）", "已删除。"
    )
    # The bulk action would log its deletions with bulk_create, which sends no signal: it is off.
    assert "delete_selected" not in dict(admin.site.actions)


# --- The audit admin's pages ------------------------------------------------------------------------


def audit_client(client):
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    return client


@pytest.mark.parametrize(
    ("query", "field", "error"),
    [
        ({"username": "\x00"}, "username", "含有不可见的控制字符（\\x00），请删除后重试。"),
        ({"username": "x" * 151}, "username", "用户名最多 150 个字符。"),
        ({"start": "2026-13-01"}, "start", "请按“年-月-日”填写日期，如 2026-01-31。"),
        ({"end": "\x00"}, "end", "请按“年-月-日”填写日期，如 2026-01-31。"),
        ({"action": "drop table"}, "action", "选择一个有效的选项。 drop table 不在可用的选项中。"),
        ({"ip": "10.0.0.256"}, "ip", "请填写正确的 IP 地址，如 10.1.2.3。"),
        ({"start": "2026-05-02", "end": "2026-05-01"}, "end", "截止日期不能早于起始日期。"),
    ],
)
def test_odd_filters_are_explained_beside_their_field_and_the_log_still_shows(client, query, field, error):
    event(username="zhang")
    audit_client(client)  # signing in is itself an event
    response = client.get(reverse("accounts:audit_log"), query)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert [e.username for e in response.context["page"]][-1:] == ["zhang"]
    assert len(response.context["page"].object_list) == AuditEvent.objects.count() == 2
    export = client.get(reverse("accounts:audit_log_export"), query)
    assert export.status_code == 200
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + AuditEvent.objects.count() == 4  # the heading, the two events and the export itself


def test_valid_filters_narrow_the_log(client):
    event(username="zhangsan", action=accounts_actions.LOGIN_FAILED, ip="10.0.0.1")
    event(username="lisi", action=accounts_actions.LOGIN_FAILED, ip="10.0.0.2")
    event(username="zhangsan", action=accounts_actions.LOGIN, days_ago=3)
    page = audit_client(client).get(reverse("accounts:audit_log"), {"username": " zhang ", "action": "login_failed"}).context["page"]
    assert [e.username for e in page] == ["zhangsan"]
    page = client.get(reverse("accounts:audit_log"), {"ip": "10.0.0.2"}).context["page"]
    assert [e.username for e in page] == ["lisi"]
    today = timezone.localdate().isoformat()
    page = client.get(reverse("accounts:audit_log"), {"start": today, "end": today, "username": "zhangsan"}).context["page"]
    assert [e.action for e in page] == [accounts_actions.LOGIN_FAILED]


def test_the_log_is_paged_by_fifty_and_page_links_keep_the_filters(client):
    AuditEvent.objects.bulk_create(AuditEvent(action=accounts_actions.LOGIN_FAILED, username=f"u{n}") for n in range(120))
    event(action=accounts_actions.LOGIN)
    response = audit_client(client).get(reverse("accounts:audit_log"), {"action": "login_failed", "page": "2"})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 3, 50)
    html = response.content.decode()
    assert 'href="?action=login_failed&amp;page=3"' in html and 'href="?action=login_failed&amp;page=1"' in html
    for odd in ("abc", "0", "-1", "99999"):
        assert client.get(reverse("accounts:audit_log"), {"page": odd}).status_code == 200


def test_repeated_lockouts_are_listed_on_top_and_marked_in_the_log(client):
    marked = [event(action=accounts_actions.LOCKED_OUT, username="zhang", ip=f"10.0.0.{n}") for n in range(3)]
    event(action=accounts_actions.LOCKED_OUT, username="li", ip="10.9.9.9")
    event(action=accounts_actions.LOCKED_OUT, username="li", ip="10.9.9.8")
    event(action=accounts_actions.LOCKED_OUT, username="wang", ip="10.9.9.7", days_ago=2)
    response = audit_client(client).get(reverse("accounts:audit_log"))
    assert [alert.message for alert in response.context["alerts"]] == ["用户名 zhang 在 24 小时内被锁定 3 次"]
    assert response.context["flagged"] == {e.pk for e in marked}
    assert response.content.decode().count("需关注") == 3
    dashboard = client.get(reverse("dashboards:audit")).content.decode()
    assert "用户名 zhang 在 24 小时内被锁定 3 次" in dashboard


def test_a_burst_of_refused_access_is_flagged_and_a_slow_trickle_is_not(client):
    now = timezone.now()
    burst = [
        AuditEvent.objects.create(action=accounts_actions.ACCESS_DENIED, username="probe", ip="10.3.3.3", success=False,
                                  created_at=now - timedelta(minutes=30, seconds=50 * n))
        for n in range(10)
    ]
    for n in range(12):  # one every two minutes: at most 6 in any ten minutes
        AuditEvent.objects.create(action=accounts_actions.ACCESS_DENIED, username="slow", ip="10.4.4.4", success=False,
                                  created_at=now - timedelta(minutes=2 * n))
    response = audit_client(client).get(reverse("accounts:audit_log"))
    assert [alert.message for alert in response.context["alerts"]] == [
        "用户名 probe 在 10 分钟内有 10 次访问被拒绝", "IP 地址 10.3.3.3 在 10 分钟内有 10 次访问被拒绝",
    ]
    assert response.context["flagged"] == {e.pk for e in burst}


def test_nine_refusals_in_ten_minutes_are_not_flagged(client):
    for n in range(9):
        event(action=accounts_actions.ACCESS_DENIED, username="probe", ip="10.3.3.3")
    assert audit_client(client).get(reverse("accounts:audit_log")).context["alerts"] == []


def test_the_export_cannot_carry_a_formula_into_a_spreadsheet_and_is_itself_audited(client):
    event(action=accounts_actions.LOGIN_FAILED, username='=HYPERLINK("http://evil.example","点击")', target="+1", detail="@SUM(A1)")
    export = audit_client(client).get(reverse("accounts:audit_log_export"), {"action": "login_failed"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"点击\")"
    assert (rows[1][6], rows[1][7]) == ("'+1", "'@SUM(A1)")
    exported = AuditEvent.objects.get(action=accounts_actions.EXPORT)
    assert (exported.target, exported.detail) == ("审计日志（CSV）", "筛选条件：事件 登录失败")


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@x", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠x"])
def test_cells_that_would_start_a_formula_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "a=b", "1-2", "", " =1", 42, None])
def test_other_cells_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_a_row_is_made_safe_cell_by_cell():
    assert safe_row(["=A1", "镇江", 3]) == ["'=A1", "镇江", 3]


def test_the_log_pages_are_for_the_audit_admin_only(client):
    for role in (Role.SYSTEM_ADMIN, Role.MUNICIPAL_STAFF):
        client.force_login(factories.user(role))
        assert client.get(reverse("accounts:audit_log")).status_code == 403
        assert client.get(reverse("accounts:audit_log_export")).status_code == 403
    assert not AuditEvent.objects.filter(action=accounts_actions.EXPORT).exists()
    assert AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED).count() == 4


def test_the_log_and_its_exports_run_the_same_queries_for_10_or_200_events(client):
    # Imported here: only this test counts queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit_client(client)
    urls = [reverse("accounts:audit_log"), reverse("accounts:audit_log") + "?action=login_failed&sort=-username",
            reverse("accounts:audit_log_export"), reverse("accounts:audit_log_xlsx")]

    def counted():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            counts.append(len(queries.captured_queries))
        return counts

    AuditEvent.objects.bulk_create(AuditEvent(action=accounts_actions.LOGIN_FAILED, username=f"u{n}") for n in range(10))
    few = counted()
    AuditEvent.objects.bulk_create(AuditEvent(action=accounts_actions.LOGIN_FAILED, username=f"v{n}") for n in range(190))
    assert counted() == few
