import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from accounts import audit_actions as accounts_actions
from accounts import notify
from accounts.models import AuditEvent, OutgoingEmail
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


GUESSABLE = "密码过于常见，容易被猜到：不能只由城市名、单位简称、admin、password、qwer 等常用词加年份、数字或符号组成，请换一个。"


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.slow  # renders a PDF or starts a process
def test_check_deploy_is_clean_under_production_settings():
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DEBUG="0", SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghijkl", ALLOWED_HOSTS="kjj.zhenjiang.gov.cn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_login_failure_and_logout_are_audited_with_ip(client):
    user = factories.user(Role.EXPERT)
    login(client, user.username, "nope")
    login(client, user.username, factories.PASSWORD)
    client.post(reverse("accounts:logout"))
    events = list(AuditEvent.objects.order_by("id").values_list("action", "username", "success", "ip"))
    assert events == [
        ("login_failed", user.username, False, "127.0.0.1"),
        ("login", user.username, True, "127.0.0.1"),
        ("logout", user.username, True, "127.0.0.1"),
    ]


def test_sessions_end_after_thirty_idle_minutes():
    # Renewed by a write at most once a minute (accounts/sessions.py; tests/accounts/test_sessions.py), not every request.
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST, settings.SESSION_REFRESH_SECONDS) == (1800, False, 60)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码长度不能少于 8 位。"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"),
        ("zhangwei2026A", "密码跟 用户名 太相似了。"),
        ("Zhenjiang2026", GUESSABLE),
        ("Zj@demo2026", GUESSABLE),
        ("P@ssw0rd2026", GUESSABLE),
    ],
)
def test_weak_passwords_are_refused_at_registration(client, password, message):
    response = client.post(reverse("applications:register"), registration_data(password1=password, password2=password))
    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert message in errors


def registration_data(**overrides):
    data = {
        "name": "镇江示例科技有限公司", "credit_code": "91350100M000100Y43", "bureau": factories.district().pk,
        "legal_representative": "张伟", "address": "镇江市京口区学府路 301 号", "is_legal_person": "True", "full_name": "李明",
        "phone": "13912345678", "email": "liming@example.com", "username": "zhangwei2026",
        "password1": "Strong#Pass2026", "password2": "Strong#Pass2026",
    }
    data.update(overrides)
    return data


class SlowMailServer(BaseEmailBackend):
    """A mail server that takes five seconds to answer, as the city's did (45 s) under load."""

    def open(self):
        time.sleep(5)

    def send_messages(self, email_messages):
        time.sleep(5)
        return len(email_messages)


def test_password_reset_answers_at_once_for_known_and_unknown_addresses_and_mails_through_the_outbox(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowMailServer"
    user = factories.user(Role.EXPERT, email="expert@example.com")
    for address in ("expert@example.com", "nobody@example.com"):
        started = time.monotonic()
        response = client.post(reverse("accounts:password_reset"), {"email": address})
        assert time.monotonic() - started < 2
        assert (response.status_code, response["Location"]) == (302, reverse("accounts:password_reset_done"))
    assert mail.outbox == []
    queued = OutgoingEmail.objects.get()
    assert (queued.to, queued.subject, queued.state) == ("expert@example.com", "镇江市创新联合体平台：重设密码", "pending")
    assert f"账号“{user.username}”的密码" in queued.body
    events = AuditEvent.objects.filter(action=accounts_actions.PASSWORD_RESET_REQUESTED).order_by("id")
    assert [(e.username, e.target, e.success, e.detail) for e in events] == [
        (user.username, "expert@example.com", True, "重设密码链接已放入邮件发送队列。"),
        ("", "nobody@example.com", False, "该邮箱没有可重设密码的账户，未发送邮件。"),
    ]


def test_a_reset_mail_the_server_refused_is_kept_and_sent_later(client, settings):
    factories.user(Role.EXPERT, email="expert@example.com")
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"
    client.post(reverse("accounts:password_reset"), {"email": "expert@example.com"})
    assert notify.deliver_pending_email() == (0, 1)
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.PENDING
    notify._paused_until = None
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.deliver_pending_email() == (1, 0)
    assert [m.subject for m in mail.outbox] == ["镇江市创新联合体平台：重设密码"]


class UnreachableMailServer(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def test_audit_admin_reads_and_exports_the_log_and_others_cannot(client):
    factories.user(Role.EXPERT, username="someone")
    login(client, "someone", "bad")
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    page = client.get(reverse("accounts:audit_log"), {"action": "login_failed"})
    assert page.status_code == 200
    assert "someone" in page.content.decode()
    export = client.get(reverse("accounts:audit_log_export"))
    body = b"".join(export.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff时间,用户名,角色,事件,结果,IP 地址,对象,详情")
    assert ",someone,,登录失败,失败,127.0.0.1," in body
    for role in (Role.SYSTEM_ADMIN, Role.MUNICIPAL_STAFF):
        client.force_login(factories.user(role))
        assert client.get(reverse("accounts:audit_log")).status_code == 403


def test_only_the_system_admin_enters_the_django_admin(client):
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    assert client.get("/admin/accounts/bureau/").status_code == 200
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    assert client.get("/admin/accounts/bureau/").status_code == 302


def test_pages_are_chinese_whatever_language_the_browser_asks_for(client):
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "欢迎" in page and "Welcome" not in page
    client.logout()
    response = client.post(reverse("applications:register"), {"name": "某公司", "email": ""}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.context["form"].errors["email"] == ["请填写电子邮箱，用于找回密码。"]
