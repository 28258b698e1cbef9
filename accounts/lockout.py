"""Login locks that slow down guessing without letting a stranger lock a user out everywhere.

Four rules (settings.LOGIN_LOCKOUT, figures in README "Security"); each says: this many failed
sign-ins within this window lock for this long after the last of them. The first three count only
browsers that are not a known device of the account (accounts/devices.py); the fourth counts a known
device on its own, so a stranger's guesses, however spread, never lock the owner out of a browser they
signed in on before (OWASP's device cookies).

- account_address: one user name from one address (a person mistyping, or one attacker on one
  account). Locks that user name from that address only, so five anonymous posts no longer lock
  the city bureau's account for its staff elsewhere.
- account: one user name from any address (guesses spread over many addresses). A shorter lock
  that applies everywhere; once the window holds the limit, every further failure locks again,
  which slows distributed guessing to a few tries an hour.
- address: one address, any user names (one machine trying many accounts).
- device: one user name on one of its known devices (the owner mistyping, or someone at their desk).

Only failures where a password was checked count (models.LoginFailure); attempts refused while a
lock is in force do not, so a lock ends when the page said it would. A successful sign-in clears
the failures of that user name from that address; a password reset or the system admin clears a
user name's failures, the system admin an address's.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max

from operations import clock as portal_clock

from .models import LoginFailure

ACCOUNT_ADDRESS = "account_address"
ACCOUNT = "account"
ADDRESS = "address"
DEVICE = "device"
RULE_NAMES = {ACCOUNT_ADDRESS: "账户 + 地址", ACCOUNT: "账户", ADDRESS: "地址", DEVICE: "账户 + 登录过的浏览器"}
RULE_SUBJECTS = {
    ACCOUNT_ADDRESS: "同一账户在同一网络地址", ACCOUNT: "同一账户在所有网络地址合计", ADDRESS: "同一网络地址对所有账户合计",
    DEVICE: "同一账户在同一浏览器",
}
KNOWN_DEVICE_REMEDY = "在以前登录过该账户的电脑浏览器上仍可照常登录"


@dataclass(frozen=True)
class Rule:
    name: str
    failures: int
    within: timedelta
    lock: timedelta

    @property
    def summary(self):
        return f"{RULE_SUBJECTS[self.name]} {duration(self.within)}内登录失败 {self.failures} 次，暂停登录 {duration(self.lock)}"


@dataclass(frozen=True)
class Lock:
    rule: Rule
    username: str
    ip: str | None
    failures: int
    until: datetime
    device: str = ""

    @property
    def reason(self):
        """Why sign-in is refused, for the login page, the audit log and the system admin."""
        rule = self.rule
        if rule.name == ACCOUNT_ADDRESS:
            return f"该账户在当前网络地址 {duration(rule.within)}内密码错误 {self.failures} 次"
        if rule.name == ACCOUNT:
            return f"该账户 {duration(rule.within)}内密码错误已达 {self.failures} 次，为防止密码被猜测"
        if rule.name == DEVICE:
            return f"该账户在本浏览器上 {duration(rule.within)}内密码错误 {self.failures} 次"
        return f"当前网络地址 {duration(rule.within)}内登录失败已达 {self.failures} 次"

    @property
    def message(self):
        """What the login page says: why, until when, and what the user can do meanwhile."""
        remedy = "如需提前解锁，请联系系统管理员"
        if self.rule.name != ADDRESS:
            remedy += "，或通过“忘记密码”重设密码"
        if self.rule.name != DEVICE:  # the lock was set off from elsewhere: the owner's own browser still works
            remedy = f"{KNOWN_DEVICE_REMEDY}；{remedy}"
        return f"{self.reason}，已暂停登录，请于 {clock(self.until)} 后再试。{remedy}。"


def rules():
    return [
        Rule(name, values["failures"], values["within"], values["lock"])
        for name, values in settings.LOGIN_LOCKOUT.items()
    ]


def notice():
    """The rules in one paragraph, for the login page and the system admin's 登录锁定 page."""
    by_name = {rule.name: rule.summary for rule in rules()}
    others = "；".join(summary for name, summary in by_name.items() if name != DEVICE)
    known = f"在登录过该账户的浏览器上只计该浏览器本身：{by_name[DEVICE]}，他人在别处猜测密码不影响。" if DEVICE in by_name else ""
    return f"为防止密码被猜测：在未登录过该账户的浏览器上，{others}。{known}"


def duration(delta):
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} 小时" if minutes % 60 == 0 else f"{minutes} 分钟"


def clock(moment):
    """A lock's end as the login page shows it: rounded up to the minute, with the date if not today."""
    local = portal_clock.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if portal_clock.localdate(local) == portal_clock.today():
        return f"{local:%H:%M}"
    return f"{local.month} 月 {local.day} 日 {local:%H:%M}"


def _failures(rule, username, ip, device):
    if rule.name == DEVICE:
        return LoginFailure.objects.filter(username=username, device=device)
    unknown = LoginFailure.objects.filter(device="")
    if rule.name == ACCOUNT_ADDRESS:
        return unknown.filter(username=username, ip=ip)
    if rule.name == ACCOUNT:
        return unknown.filter(username=username)
    return unknown.filter(ip=ip)


def _applies(rule, ip, device):
    if device:  # a known device of this account answers to its own lock only
        return rule.name == DEVICE
    return rule.name != DEVICE and not (rule.name == ADDRESS and ip is None)


def current_lock(username, ip, *, device="", now=None):
    """The lock that refuses this user name from this address (on this known device) now, or None;
    the longest if several."""
    now = now or portal_clock.now()
    locks = []
    for rule in rules():
        if not _applies(rule, ip, device):
            continue
        counted = _failures(rule, username, ip, device).filter(created_at__gt=now - rule.within).aggregate(
            failures=Count("id"), last=Max("created_at")
        )
        if counted["failures"] >= rule.failures and counted["last"] + rule.lock > now:
            locks.append(Lock(rule, username, ip, counted["failures"], counted["last"] + rule.lock, device))
    return max(locks, key=lambda lock: lock.until, default=None)


def record_failure(username, ip, *, device="", now=None):
    """Count one failed sign-in (on a known device of the account: ``device``); return the lock it starts, or None.

    Called only for attempts whose password was checked, that is while no lock applied to this
    user name and address: a lock found afterwards has just begun.
    """
    now = now or portal_clock.now()
    username = username[:150]
    LoginFailure.objects.create(username=username, ip=ip, device=device, created_at=now)
    longest = max(rule.within for rule in rules())
    LoginFailure.objects.filter(created_at__lte=now - longest).delete()
    return current_lock(username, ip, device=device, now=now)


def signed_in(username, ip, device=""):
    """A successful sign-in forgets that user name's failures from that address and on that device."""
    LoginFailure.objects.filter(username=username, ip=ip).delete()
    if device:
        LoginFailure.objects.filter(username=username, device=device).delete()


def clear_account(username):
    """Lift every lock on a user name (a password reset, or the system admin); returns failures removed."""
    return LoginFailure.objects.filter(username=username).delete()[0]


def clear_address(ip):
    """Lift the lock on an address (the system admin); returns failures removed."""
    return LoginFailure.objects.filter(ip=ip).delete()[0]


def active_locks(*, now=None):
    """Every lock in force now, latest end first: for the system admin's 登录锁定 page."""
    now = now or portal_clock.now()
    locks = []
    for rule in rules():
        keys = {ACCOUNT_ADDRESS: ["username", "ip"], ACCOUNT: ["username"], ADDRESS: ["ip"], DEVICE: ["username", "device"]}[rule.name]
        counted = LoginFailure.objects.exclude(device="") if rule.name == DEVICE else LoginFailure.objects.filter(device="")
        groups = (
            counted.filter(created_at__gt=now - rule.within)
            .values(*keys)
            .annotate(failures=Count("id"), last=Max("created_at"))
            .filter(failures__gte=rule.failures, last__gt=now - rule.lock)
            .order_by()
        )
        for group in groups:
            if rule.name == ADDRESS and group["ip"] is None:
                continue
            locks.append(Lock(
                rule, group.get("username", ""), group.get("ip"), group["failures"], group["last"] + rule.lock,
                group.get("device", ""),
            ))
    return sorted(locks, key=lambda lock: lock.until, reverse=True)
