import re
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import audit_actions as accounts_actions
from accounts import devices, lockout
from accounts.models import AuditEvent, LoginFailure, OutgoingEmail
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

WRONG = "Wrong#pass2026"
KNOWN = "在以前登录过该账户的电脑浏览器上仍可照常登录；"
GENERIC_ERROR = ["请输入一个正确的用户名和密码。注意，两者都区分大小写。"]


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client):
    return "_auth_user_id" in client.session


def shown(moment):
    """The lock's end as the page should show it, worked out here independently: rounded up to the minute."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return f"{local.month} 月 {local.day} 日 {local:%H:%M}"


def failures(username, ip, count, minutes_ago):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    LoginFailure.objects.bulk_create(LoginFailure(username=username, ip=ip, created_at=at) for _ in range(count))


def test_five_failures_from_one_address_lock_the_account_there_and_the_page_says_why_and_until_when(client):
    user = factories.user(Role.EXPERT)
    for _ in range(4):
        response = login(client, user.username, WRONG)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == GENERIC_ERROR
    fifth = login(client, user.username, WRONG)
    until = LoginFailure.objects.latest("created_at").created_at + timedelta(minutes=30)
    message = (f"该账户在当前网络地址 30 分钟内密码错误 5 次，已暂停登录，请于 {shown(until)} 后再试。"
               f"{KNOWN}如需提前解锁，请联系系统管理员，或通过“忘记密码”重设密码。")
    assert fifth.status_code == 429
    assert fifth.context["locked_message"] == message
    assert fifth.context["form"].errors == {}
    assert f'value="{user.username}"' in fifth.content.decode()  # the typed name stays

    right = login(client, user.username, factories.PASSWORD)
    assert right.status_code == 429
    assert right.context["locked_message"] == message
    assert not signed_in(client)
    events = list(AuditEvent.objects.filter(username=user.username).order_by("id").values_list("action", "success"))
    assert events == [("login_failed", False)] * 5 + [("locked_out", False), ("login_failed", False)]
    refused = AuditEvent.objects.filter(username=user.username).latest("id")
    assert refused.detail == f"登录已被锁定，未校验密码：该账户在当前网络地址 30 分钟内密码错误 5 次，锁定至 {shown(until)}"
    assert LoginFailure.objects.count() == 5  # the refused attempt does not count: the lock ends as announced


def test_four_failures_do_not_lock_and_a_success_forgets_them(client):
    user = factories.user(Role.EXPERT)
    for _ in range(4):
        login(client, user.username, WRONG)
    assert login(client, user.username, factories.PASSWORD).status_code == 302
    assert signed_in(client)
    assert LoginFailure.objects.count() == 0
    client.logout()
    for _ in range(4):
        login(client, user.username, WRONG)
    assert login(client, user.username, factories.PASSWORD).status_code == 302


def test_a_stranger_locking_an_account_from_their_address_does_not_lock_out_its_owner_elsewhere(client):
    user = factories.user(Role.DISTRICT_REVIEWER)
    for _ in range(5):
        login(client, user.username, WRONG, ip="203.0.113.9")
    assert login(client, user.username, factories.PASSWORD, ip="203.0.113.9").status_code == 429
    assert login(client, user.username, factories.PASSWORD, ip="10.8.1.20").status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize(("minutes_ago", "locked"), [(29, True), (31, False)])
def test_the_account_and_address_lock_lasts_thirty_minutes(client, minutes_ago, locked):
    user = factories.user(Role.EXPERT)
    failures(user.username, "10.0.0.1", 5, minutes_ago)
    assert login(client, user.username, factories.PASSWORD).status_code == (429 if locked else 302)


def test_guesses_spread_over_many_addresses_lock_the_account_on_every_browser_it_never_signed_in_on(client):
    user = factories.user(Role.MUNICIPAL_STAFF)
    for n in range(19):
        assert login(client, user.username, WRONG, ip=f"198.51.100.{n + 1}").status_code == 200
    twentieth = login(client, user.username, WRONG, ip="198.51.100.200")
    until = LoginFailure.objects.latest("created_at").created_at + timedelta(minutes=15)
    message = (f"该账户 24 小时内密码错误已达 20 次，为防止密码被猜测，已暂停登录，请于 {shown(until)} 后再试。"
               f"{KNOWN}如需提前解锁，请联系系统管理员，或通过“忘记密码”重设密码。")
    assert twentieth.status_code == 429
    assert twentieth.context["locked_message"] == message
    owner = login(client, user.username, factories.PASSWORD, ip="10.20.30.40")
    assert owner.status_code == 429
    assert owner.context["locked_message"] == message
    assert AuditEvent.objects.get(action=accounts_actions.LOCKED_OUT).target == user.username


def test_the_account_wide_lock_is_short_but_every_further_failure_that_day_renews_it(client):
    user = factories.user(Role.MUNICIPAL_STAFF)
    for n in range(20):
        failures(user.username, f"198.51.100.{n + 1}", 1, minutes_ago=16)
    assert login(client, user.username, WRONG, ip="10.20.30.40").status_code == 429
    assert login(client, user.username, factories.PASSWORD, ip="10.20.30.41").status_code == 429

    other = factories.user(Role.MUNICIPAL_STAFF)
    for n in range(20):
        failures(other.username, f"198.51.100.{n + 1}", 1, minutes_ago=16)
    assert login(client, other.username, factories.PASSWORD, ip="10.20.30.40").status_code == 302


def test_one_address_trying_many_accounts_is_blocked_for_every_account(client):
    users = [factories.user(Role.EXPERT) for _ in range(30)]
    for user in users[:29]:
        assert login(client, user.username, WRONG, ip="192.0.2.77").status_code == 200
    last = login(client, users[29].username, WRONG, ip="192.0.2.77")
    until = LoginFailure.objects.latest("created_at").created_at + timedelta(minutes=30)
    message = f"当前网络地址 1 小时内登录失败已达 30 次，已暂停登录，请于 {shown(until)} 后再试。{KNOWN}如需提前解锁，请联系系统管理员。"
    assert last.status_code == 429
    assert last.context["locked_message"] == message
    innocent = factories.user(Role.EXPERT)
    assert login(client, innocent.username, factories.PASSWORD, ip="192.0.2.77").status_code == 429
    assert login(client, innocent.username, factories.PASSWORD, ip="192.0.2.78").status_code == 302
    assert AuditEvent.objects.get(action=accounts_actions.LOCKED_OUT).target == "192.0.2.77"


def test_twenty_nine_failures_from_one_address_do_not_block_it(client):
    for n in range(29):
        failures(f"someone{n}", "192.0.2.77", 1, minutes_ago=1)
    user = factories.user(Role.EXPERT)
    assert login(client, user.username, factories.PASSWORD, ip="192.0.2.77").status_code == 302


def test_the_lock_end_is_shown_rounded_up_to_the_minute_with_the_date_when_not_today():
    today = timezone.localdate()
    at = timezone.make_aware(datetime.combine(today, time(14, 5)))
    assert lockout.clock(at) == "14:05"
    assert lockout.clock(at + timedelta(seconds=1)) == "14:06"
    tomorrow = at + timedelta(days=1)
    assert lockout.clock(tomorrow) == f"{tomorrow.month} 月 {tomorrow.day} 日 14:05"


def test_a_password_reset_lifts_the_lock(client):
    user = factories.user(Role.EXPERT, email="locked@example.com")
    for _ in range(5):
        login(client, user.username, WRONG)
    for n in range(20):
        failures(user.username, f"198.51.100.{n + 1}", 1, minutes_ago=1)
    assert login(client, user.username, factories.PASSWORD).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": "locked@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", OutgoingEmail.objects.get().body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(form_url, {"new_password1": "Lanyue#Qiao58", "new_password2": "Lanyue#Qiao58"})
    assert done.status_code == 302
    assert LoginFailure.objects.filter(username=user.username).count() == 0
    event = AuditEvent.objects.get(action=accounts_actions.PASSWORD_RESET_DONE)
    assert (event.username, event.detail) == (user.username, "通过邮件中的链接重设了密码，解除了登录锁定（清除 25 次失败记录）。")
    assert login(client, user.username, "Lanyue#Qiao58").status_code == 302


def test_the_system_admin_sees_the_locks_and_lifts_them(client):
    user = factories.user(Role.EXPERT)
    failures(user.username, "10.0.0.1", 5, minutes_ago=1)
    for n in range(30):
        failures(f"guess{n}", "192.0.2.77", 1, minutes_ago=2)
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    page = client.get(reverse("accounts:lockouts"))
    rows = [(lock.username, lock.ip, name) for lock, name, _ in page.context["locks"]]
    assert rows == [(user.username, "10.0.0.1", "账户 + 地址"), ("", "192.0.2.77", "地址")]

    client.post(reverse("accounts:lockouts"), {"username": user.username})
    client.post(reverse("accounts:lockouts"), {"ip": "192.0.2.77"})
    assert client.get(reverse("accounts:lockouts")).context["locks"] == []
    events = AuditEvent.objects.filter(action=accounts_actions.LOCKOUT_CLEARED).order_by("id")
    assert [(e.target, e.detail) for e in events] == [
        (f"账户 {user.username}", "系统管理员解除登录锁定，清除 5 次失败记录。"),
        ("网络地址 192.0.2.77", "系统管理员解除登录锁定，清除 30 次失败记录。"),
    ]
    client.logout()
    assert login(client, user.username, factories.PASSWORD).status_code == 302


def test_an_unlock_request_naming_nothing_or_both_is_refused_and_clears_nothing(client):
    failures("zhang", "10.0.0.1", 5, minutes_ago=1)
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    for data in ({}, {"username": "zhang", "ip": "10.0.0.1"}, {"ip": "not-an-address"}):
        response = client.post(reverse("accounts:lockouts"), data, follow=True)
        assert [str(m) for m in response.context["messages"]] == ["请选择要解除的一个账户或一个网络地址。"]
    assert LoginFailure.objects.count() == 5
    assert not AuditEvent.objects.filter(action=accounts_actions.LOCKOUT_CLEARED).exists()


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.MUNICIPAL_STAFF, Role.APPLICANT])
def test_only_the_system_admin_may_lift_locks(client, role):
    failures("zhang", "10.0.0.1", 5, minutes_ago=1)
    client.force_login(factories.user(role))
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:lockouts"), {"username": "zhang"}).status_code == 403
    assert LoginFailure.objects.count() == 5


def test_the_admin_sign_in_page_is_the_portal_login_with_its_locks(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_login_page_states_the_rules(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert ("为防止密码被猜测：在未登录过该账户的浏览器上，同一账户在同一网络地址 30 分钟内登录失败 5 次，暂停登录 30 分钟；"
            "同一账户在所有网络地址合计 24 小时内登录失败 20 次，暂停登录 15 分钟；"
            "同一网络地址对所有账户合计 1 小时内登录失败 30 次，暂停登录 30 分钟。"
            "在登录过该账户的浏览器上只计该浏览器本身：同一账户在同一浏览器 30 分钟内登录失败 5 次，暂停登录 30 分钟，"
            "他人在别处猜测密码不影响。闲置 30 分钟后需重新登录。") in page


# --- Known devices (OWASP's device cookies; accounts/devices.py) ----------------------------------


def known_browser(user, ip="10.8.1.20"):
    """A browser the user has signed in on before (and signed out of)."""
    browser = Client()
    assert login(browser, user.username, factories.PASSWORD, ip=ip).status_code == 302
    browser.post(reverse("accounts:logout"))
    assert devices.COOKIE in browser.cookies
    return browser


@pytest.mark.slow  # a thousand sign-in attempts through the whole stack
def test_an_attackers_thousand_guesses_over_fifty_addresses_do_not_stop_the_owner_on_their_known_browser():
    owner = factories.user(Role.MUNICIPAL_STAFF)
    browser = known_browser(owner)
    attacker = Client()
    refused = Counter()
    for n in range(1000):
        refused[login(attacker, owner.username, f"Guess#{n:04d}x", ip=f"198.51.100.{n % 50 + 1}").status_code] += 1
    assert refused == {200: 19, 429: 981}  # the account rule stops the guessing after 20 checked passwords
    assert LoginFailure.objects.filter(username=owner.username).count() == 20

    stranger_browser = login(Client(), owner.username, factories.PASSWORD, ip="10.8.1.20")
    assert stranger_browser.status_code == 429  # the owner on a new browser waits like anyone else
    assert stranger_browser.context["locked_message"].endswith(
        f"后再试。{KNOWN}如需提前解锁，请联系系统管理员，或通过“忘记密码”重设密码。")

    signed = login(browser, owner.username, factories.PASSWORD, ip="10.8.1.20")
    assert signed.status_code == 302
    assert signed_in(browser)


def test_the_owners_known_browser_works_from_an_address_the_attacker_shares():
    """The bureau's staff behind one NAT address: a colleague's guesses lock the address, not the owner's browser."""
    owner = factories.user(Role.DISTRICT_REVIEWER)
    browser = known_browser(owner, ip="192.0.2.1")
    for n in range(30):
        login(Client(), f"guess{n}", WRONG, ip="192.0.2.1")
    assert login(Client(), owner.username, factories.PASSWORD, ip="192.0.2.1").status_code == 429
    assert login(browser, owner.username, factories.PASSWORD, ip="192.0.2.1").status_code == 302


def test_a_known_browser_of_one_account_is_an_unknown_one_for_another():
    owner, colleague = factories.user(Role.EXPERT), factories.user(Role.EXPERT)
    browser = known_browser(owner)
    failures(colleague.username, "203.0.113.9", 20, minutes_ago=1)
    assert login(browser, colleague.username, factories.PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_no_known_device():
    owner = factories.user(Role.EXPERT)
    browser = known_browser(owner)
    failures(owner.username, "203.0.113.9", 20, minutes_ago=1)
    value = browser.cookies[devices.COOKIE].value
    browser.cookies[devices.COOKIE] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert login(browser, owner.username, factories.PASSWORD).status_code == 429


def test_five_failures_on_a_known_browser_lock_that_browser_only_and_the_page_says_so():
    owner = factories.user(Role.EXPERT)
    browser = known_browser(owner)
    for _ in range(4):
        assert login(browser, owner.username, WRONG).status_code == 200
    fifth = login(browser, owner.username, WRONG)
    until = LoginFailure.objects.latest("created_at").created_at + timedelta(minutes=30)
    assert fifth.status_code == 429
    assert fifth.context["locked_message"] == (
        f"该账户在本浏览器上 30 分钟内密码错误 5 次，已暂停登录，请于 {shown(until)} 后再试。"
        "如需提前解锁，请联系系统管理员，或通过“忘记密码”重设密码。"
    )
    assert login(browser, owner.username, factories.PASSWORD).status_code == 429
    # The same address on another browser counts apart: those five failures were the known browser's.
    assert login(Client(), owner.username, factories.PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action=accounts_actions.LOCKED_OUT)
    assert event.detail == (f"该账户在本浏览器上 30 分钟内密码错误 5 次，锁定至 {shown(until)}（规则：账户 + 登录过的浏览器）")


def test_the_system_admin_sees_a_known_browsers_lock_and_lifts_it(client):
    owner = factories.user(Role.EXPERT)
    browser = known_browser(owner)
    for _ in range(5):
        login(browser, owner.username, WRONG)
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    page = client.get(reverse("accounts:lockouts"))
    assert [(lock.username, name) for lock, name, _ in page.context["locks"]] == [(owner.username, "账户 + 登录过的浏览器")]
    assert "（登录过该账户的一个浏览器）" in page.content.decode()
    client.post(reverse("accounts:lockouts"), {"username": owner.username})
    assert login(browser, owner.username, factories.PASSWORD).status_code == 302


def test_the_device_cookie_goes_only_to_the_login_page_and_keeps_the_accounts_signed_in_on_it():
    first, second = factories.user(Role.EXPERT), factories.user(Role.EXPERT)
    browser = known_browser(first)
    cookie = browser.cookies[devices.COOKIE]
    assert (cookie["path"], cookie["httponly"], cookie["samesite"]) == ("/accounts/login/", True, "Lax")
    assert cookie["max-age"] == 180 * 24 * 3600
    key = devices.read(RequestFactory().get("/", HTTP_COOKIE=f"{devices.COOKIE}={cookie.value}")).key
    login(browser, second.username, factories.PASSWORD)
    again = devices.read(RequestFactory().get("/", HTTP_COOKIE=f"{devices.COOKIE}={browser.cookies[devices.COOKIE].value}"))
    assert again == devices.Device(key, (second.pk, first.pk))
