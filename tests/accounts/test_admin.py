"""三员分立: what the system admin may and may not do to accounts, and how audit admins are made."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import get_resolver, reverse

from accounts import audit_actions as accounts_actions
from accounts.models import AuditEvent, Bureau, LoginFailure, Notification, OutgoingEmail, User
from accounts.roles import ROLE_PERMISSIONS, Role
from reviews.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "Lanyue#Qiao58"
GUESSABLE = "密码过于常见，容易被猜到：不能只由城市名、单位简称、admin、password、qwer 等常用词加年份、数字或符号组成，请换一个。"


@pytest.fixture
def sysadmin(client):
    user = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(user)
    return user


def change_data(user, **overrides):
    data = {
        "username": user.username, "full_name": user.full_name, "email": user.email, "phone": "", "employer": "",
        "role": user.role, "bureau": user.bureau_id or "", "unit": user.unit_id or "", "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }
    data.update(overrides)
    return data


def test_the_system_admin_has_exactly_the_rights_of_the_role_and_no_superuser_flag(sysadmin):
    assert sysadmin.is_superuser is False
    assert sysadmin.get_all_permissions() == set(ROLE_PERMISSIONS[Role.SYSTEM_ADMIN])
    for role in (Role.AUDIT_ADMIN, Role.MUNICIPAL_STAFF, Role.EXPERT, Role.APPLICANT, Role.DISTRICT_REVIEWER):
        assert factories.user(role).get_all_permissions() == set()
    assert factories.user(Role.SYSTEM_ADMIN, is_active=False).get_all_permissions() == set()


def test_every_permission_a_role_grants_exists():
    """A renamed or removed model would silently drop a right: this keeps the table in step with the models."""
    granted = set(ROLE_PERMISSIONS[Role.SYSTEM_ADMIN])
    existing = {f"{app}.{codename}" for app, codename in
                Permission.objects.values_list("content_type__app_label", "codename")}
    assert granted - existing == set()


def test_the_system_admin_manages_accounts_bureaus_and_reference_data(client, sysadmin):
    for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/accounts/bureau/",
                "/admin/applications/industryfield/", "/admin/applications/unit/", "/admin/reviews/expertprofile/"):
        assert client.get(url).status_code == 200, url
    expert = factories.user(Role.EXPERT)
    response = client.post(f"/admin/accounts/user/{expert.pk}/change/", change_data(expert, is_active=""))
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.is_active is False


def test_scoring_criteria_are_shown_to_the_system_admin_but_not_changed(client, sysadmin):
    criterion = Criterion.objects.first()
    assert client.get(f"/admin/reviews/criterion/{criterion.pk}/change/").status_code == 200
    response = client.post(f"/admin/reviews/criterion/{criterion.pk}/change/", {"name": "改过", "weight": "1", "sort_order": "1"})
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.name != "改过"


def test_the_system_admin_cannot_create_an_audit_admin_or_give_anyone_that_role(client, sysadmin):
    form = client.get("/admin/accounts/user/add/").context["adminform"].form
    assert Role.AUDIT_ADMIN not in dict(form.fields["role"].choices)
    response = client.post("/admin/accounts/user/add/", {
        "username": "shenji2", "full_name": "第二审计员", "role": Role.AUDIT_ADMIN,
        "password1": STRONG, "password2": STRONG, "usable_password": "true",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == ["选择一个有效的选项。 audit_admin 不在可用的选项中。"]
    assert not User.objects.filter(username="shenji2").exists()

    expert = factories.user(Role.EXPERT)
    response = client.post(f"/admin/accounts/user/{expert.pk}/change/", change_data(expert, role=Role.AUDIT_ADMIN))
    assert response.context["adminform"].form.errors["role"] == ["选择一个有效的选项。 audit_admin 不在可用的选项中。"]
    expert.refresh_from_db()
    assert expert.role == Role.EXPERT


def test_the_system_admin_sees_an_audit_admin_but_cannot_change_reset_or_delete_it(client, sysadmin):
    auditor = factories.user(Role.AUDIT_ADMIN)
    page = client.get(f"/admin/accounts/user/{auditor.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(f"/admin/accounts/user/{auditor.pk}/change/", change_data(auditor, is_active="")).status_code == 403
    password_url = f"/admin/accounts/user/{auditor.pk}/password/"
    assert client.get(password_url).status_code == 403
    response = client.post(password_url, {"password1": STRONG, "password2": STRONG, "usable_password": "true"})
    assert response.status_code == 403
    assert client.post(f"/admin/accounts/user/{auditor.pk}/delete/", {"post": "yes"}).status_code == 403
    auditor.refresh_from_db()
    assert auditor.is_active is True
    assert auditor.check_password(factories.PASSWORD)
    refusals = AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED, username=sysadmin.username)
    assert refusals.count() == 4


def test_the_system_admin_can_reset_other_passwords_and_it_is_audited(client, sysadmin):
    expert = factories.user(Role.EXPERT)
    response = client.post(f"/admin/accounts/user/{expert.pk}/password/",
                           {"password1": STRONG, "password2": STRONG, "usable_password": "true"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.check_password(STRONG)
    change = AuditEvent.objects.get(action=accounts_actions.ADMIN_CHANGE)
    assert (change.username, change.target, change.detail) == (sysadmin.username, f"用户 {expert.full_name}（#{expert.pk}）", "已修改密码。")


# --- 三员: no business role for the system admin, no signing in as someone else (issue 19) --------------------


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF, Role.EXPERT])
def test_the_system_admin_cannot_give_themself_a_business_role(client, sysadmin, role):
    municipal = Bureau.objects.get(kind="municipal")
    page = client.get(f"/admin/accounts/user/{sysadmin.pk}/change/")
    assert {"role", "bureau", "unit", "is_active"} <= set(page.context["adminform"].readonly_fields)
    response = client.post(f"/admin/accounts/user/{sysadmin.pk}/change/",
                           change_data(sysadmin, role=role, bureau=municipal.pk, full_name="改名"))
    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert (sysadmin.role, sysadmin.bureau_id, sysadmin.full_name) == (Role.SYSTEM_ADMIN, None, "改名")
    assert not AuditEvent.objects.filter(action=accounts_actions.ROLE_CHANGED).exists()


def test_a_role_change_of_another_account_is_audited_old_to_new(client, sysadmin):
    municipal = Bureau.objects.get(kind="municipal")
    expert = factories.user(Role.EXPERT)
    client.post(f"/admin/accounts/user/{expert.pk}/change/", change_data(expert, role=Role.MUNICIPAL_STAFF, bureau=municipal.pk))
    expert.refresh_from_db()
    assert expert.role == Role.MUNICIPAL_STAFF
    event = AuditEvent.objects.get(action=accounts_actions.ROLE_CHANGED)
    assert (event.username, event.target) == (sysadmin.username, f"用户 {expert.full_name}（#{expert.pk}）")
    assert event.detail == f"角色：评审专家 → 市科技局业务处室；所属机构：（无） → {municipal.name}"
    client.post(f"/admin/accounts/user/{expert.pk}/change/", change_data(expert, full_name="只改姓名"))
    assert AuditEvent.objects.filter(action=accounts_actions.ROLE_CHANGED).count() == 1  # no scope change, no event


def test_the_admin_offers_no_way_to_sign_in_as_another_user():
    names = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                names.append(f"{prefix}{pattern.pattern} {pattern.name or ''}")

    walk(get_resolver().url_patterns)
    assert names and not [name for name in names if re.search(r"hijack|impersonat|login.?as|switch.?user|su/", name, re.I)]


def test_an_admin_password_reset_forces_a_change_at_next_sign_in_and_tells_the_user(
        client, sysadmin, django_capture_on_commit_callbacks):
    expert = factories.user(Role.EXPERT, email="zhou@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/accounts/user/{expert.pk}/password/", {"password1": STRONG, "password2": STRONG, "usable_password": "true"})
    expert.refresh_from_db()
    assert expert.must_change_password is True
    told = Notification.objects.get(recipient=expert)
    assert (told.title, told.link) == ("您的登录密码已由系统管理员重设", "/accounts/password/change/")
    assert f"系统管理员（{sysadmin.display_name}）于 " in told.body
    assert OutgoingEmail.objects.get(to="zhou@example.cn").subject.endswith("您的登录密码已由系统管理员重设")
    event = AuditEvent.objects.get(action=accounts_actions.ADMIN_PASSWORD_SET)
    assert event.detail == "系统管理员重设了该账户的密码；本人下次登录须先修改密码，已通知本人。"

    # Whoever signs in with the password the admin typed gets nowhere but the password change page.
    client.logout()
    signed = client.post(reverse("accounts:login"), {"username": expert.username, "password": STRONG}, follow=True)
    assert signed.redirect_chain[-1] == ("/accounts/password/change/", 302)
    assert "您的密码由系统管理员设置。为保证只有您本人知道密码，请先设置新密码" in signed.content.decode()
    for url in ("/workbench/expert/", "/accounts/messages/", "/reviews/assignments/1/"):
        assert client.get(url)["Location"] == "/accounts/password/change/", url
    client.post("/accounts/password/change/", {"old_password": STRONG, "new_password1": "Yunhe#Bridge73", "new_password2": "Yunhe#Bridge73"})
    expert.refresh_from_db()
    assert expert.must_change_password is False and expert.check_password("Yunhe#Bridge73")
    assert client.get("/workbench/expert/").status_code == 200


def test_the_admin_changing_their_own_password_or_a_user_changing_theirs_forces_nothing(client, sysadmin):
    client.post(f"/admin/accounts/user/{sysadmin.pk}/password/", {"password1": STRONG, "password2": STRONG, "usable_password": "true"})
    sysadmin.refresh_from_db()
    assert sysadmin.check_password(STRONG) and sysadmin.must_change_password is False
    assert client.get("/admin/").status_code == 200


def test_a_new_account_made_in_the_admin_chooses_its_own_password_at_first_sign_in(client, sysadmin):
    client.post("/admin/accounts/user/add/", {"username": "xinzhuanjia", "full_name": "新专家", "role": Role.EXPERT,
                                              "password1": STRONG, "password2": STRONG, "usable_password": "true"})
    created = User.objects.get(username="xinzhuanjia")
    assert created.must_change_password is True
    event = AuditEvent.objects.get(action=accounts_actions.ROLE_CHANGED)
    assert event.detail == "角色：（新账户） → 评审专家；所属机构：（新账户） → （无）；所属单位：（新账户） → （无）；状态：（新账户） → 启用"
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "xinzhuanjia", "password": STRONG}, follow=True
                       ).redirect_chain[-1] == ("/accounts/password/change/", 302)


def test_superuser_staff_group_and_permission_fields_cannot_be_set_through_the_admin(client, sysadmin):
    expert = factories.user(Role.EXPERT)
    data = change_data(expert, is_superuser="on", is_staff="on", groups="1",
                       user_permissions=[p.pk for p in Permission.objects.all()[:3]])
    assert client.post(f"/admin/accounts/user/{expert.pk}/change/", data).status_code == 302
    expert.refresh_from_db()
    assert (expert.is_superuser, expert.is_staff, expert.groups.count(), expert.user_permissions.count()) == (False, False, 0, 0)
    assert client.get("/admin/auth/group/").status_code == 404


def test_nothing_is_deleted_through_the_admin(client, sysadmin):
    expert = factories.user(Role.EXPERT)
    assert client.get(f"/admin/accounts/user/{expert.pk}/delete/").status_code == 403
    bureau = factories.district()
    assert client.post(f"/admin/accounts/bureau/{bureau.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=expert.pk).exists()


def test_the_audit_admin_does_not_enter_the_admin(client):
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    assert client.get("/admin/accounts/user/").status_code == 302


def test_no_account_can_be_a_superuser():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="root", role=Role.SYSTEM_ADMIN, is_superuser=True)
    with pytest.raises(CommandError, match="本系统按“三员分立”不设超级用户"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com")
    assert not User.objects.filter(username="root").exists()


# --- create_audit_admin / create_system_admin ---------------------------------------------------------


def run(command, *args, stdin="", monkeypatch=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_an_audit_admin_is_created_on_the_server_with_a_password_from_stdin(client, monkeypatch):
    output = run("create_audit_admin", "shenji", "--full-name", "审计员", "--email", "shenji@example.gov.cn",
                 "--password-stdin", stdin=STRONG + "\n", monkeypatch=monkeypatch)
    assert output == "已创建安全审计员“shenji”。\n"
    auditor = User.objects.get(username="shenji")
    assert (auditor.role, auditor.full_name, auditor.is_superuser, auditor.check_password(STRONG)) == (
        Role.AUDIT_ADMIN, "审计员", False, True)
    created = AuditEvent.objects.get(action=accounts_actions.ACCOUNT_COMMAND)
    assert created.username.startswith("服务器:")
    assert (created.target, created.detail) == (f"用户 审计员（#{auditor.pk}）", "创建安全审计员账户（manage.py create_audit_admin）")
    assert client.post(reverse("accounts:login"), {"username": "shenji", "password": STRONG}).status_code == 302


def test_the_password_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACCOUNT_PASSWORD", STRONG)
    run("create_system_admin", "xitong", monkeypatch=monkeypatch)
    assert User.objects.get(username="xitong").role == Role.SYSTEM_ADMIN


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--password-stdin"], "Zhenjiang2026\n", "密码不符合要求：" + GUESSABLE),
        (["--password-stdin"], "\n", "密码不能为空。"),
        ([], "", "请在终端中运行以输入密码，或用 --password-stdin、环境变量 ACCOUNT_PASSWORD 提供密码。"),
        (["--password-stdin", "--email", "not-an-address"], STRONG + "\n", "电子邮件地址：输入一个有效的 Email 地址。"),
    ],
)
def test_a_bad_password_or_field_creates_nothing(monkeypatch, args, stdin, message):
    with pytest.raises(CommandError) as refused:
        run("create_audit_admin", "shenji", *args, stdin=stdin, monkeypatch=monkeypatch)
    assert str(refused.value) == message
    assert not User.objects.filter(username="shenji").exists()


def test_an_existing_name_is_never_turned_into_an_audit_admin(monkeypatch):
    expert = factories.user(Role.EXPERT)
    with pytest.raises(CommandError, match=f"^用户名“{expert.username}”已被一个评审专家账户使用，不能用作安全审计员。$"):
        run("create_audit_admin", expert.username, "--password-stdin", "--reset-password", stdin=STRONG + "\n",
            monkeypatch=monkeypatch)
    expert.refresh_from_db()
    assert (expert.role, expert.check_password(factories.PASSWORD)) == (Role.EXPERT, True)


def test_an_audit_admin_password_is_reset_on_the_server_and_its_locks_lifted(monkeypatch):
    auditor = factories.user(Role.AUDIT_ADMIN)
    LoginFailure.objects.create(username=auditor.username, ip="10.0.0.1")
    with pytest.raises(CommandError, match="已存在。如需为该安全审计员设置新密码，请加 --reset-password。"):
        run("create_audit_admin", auditor.username, "--password-stdin", stdin=STRONG + "\n", monkeypatch=monkeypatch)
    output = run("create_audit_admin", auditor.username, "--password-stdin", "--reset-password", stdin=STRONG + "\n",
                 monkeypatch=monkeypatch)
    assert output == f"已重设安全审计员“{auditor.username}”的密码。\n"
    auditor.refresh_from_db()
    assert auditor.check_password(STRONG)
    assert not LoginFailure.objects.exists()
    assert AuditEvent.objects.get(action=accounts_actions.ACCOUNT_COMMAND).detail == "重设安全审计员密码（manage.py create_audit_admin）"
    with pytest.raises(CommandError, match="没有用户名为“nobody”的安全审计员账户，不能重设密码。"):
        run("create_audit_admin", "nobody", "--password-stdin", "--reset-password", stdin=STRONG + "\n", monkeypatch=monkeypatch)


@pytest.mark.parametrize("url", [
    "/admin/accounts/user/?role__exact=%00", "/admin/accounts/user/?q=%00", "/admin/applications/unit/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=accounts&model_name=user&field_name=unit",
])
def test_odd_admin_queries_answer_without_a_server_error(client, sysadmin, url):
    assert client.get(url).status_code == 200


def test_a_forged_autocomplete_value_is_refused_beside_the_field(client, sysadmin):
    response = client.post("/admin/accounts/user/add/", {
        "username": "newuser1", "full_name": "新用户", "role": "applicant", "unit": "abc",
        "password1": "Xy#pass2026qq", "password2": "Xy#pass2026qq",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert 'value="newuser1"' in response.content.decode()
    response = client.post("/admin/reviews/expertprofile/add/", {"user": "abc", "employer_credit_code": "", "specialty": "材料"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
