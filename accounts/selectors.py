from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min

from accounts import audit_actions as accounts_actions
from operations import clock

from .listing import DATETIME, Column
from .models import AuditEvent
from .roles import Role

# What the audit admin is shown on top of the log: repeated lockouts of one user name or address,
# and bursts of refused access (someone trying other people's pages).
LOCKOUTS_ALERT = 3
LOCKOUTS_WITHIN = timedelta(hours=24)
REFUSALS_ALERT = 10
REFUSALS_WITHIN = timedelta(minutes=10)
REFUSALS_LOOK_BACK = timedelta(hours=24)
# Bursts are found in Python over the last day's refusals; this many at most (the newest) are read.
REFUSALS_SCANNED = 20_000


RESULT_LABELS = {True: "成功", False: "失败"}
# The log's columns in its Excel export (its page keeps its own table, which marks the flagged events).
AUDIT_COLUMNS = [
    Column("created_at", "时间", DATETIME, sort="created_at"),
    Column("username", "用户名", sort="username"),
    Column("role", "角色", labels=dict(Role.choices)),
    Column("action", "事件", labels=accounts_actions.LABELS, sort="action"),
    Column("success", "结果", labels=RESULT_LABELS),
    Column("ip", "IP 地址"),
    Column("target", "对象"),
    Column("detail", "详情"),
]


def audit_events():
    """The whole log, newest first; AuditFilter (forms.py) narrows and sorts it."""
    return AuditEvent.objects.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Alert:
    action: str  # accounts_actions.LOCKED_OUT or ACCESS_DENIED
    field: str  # "username" or "ip"
    value: str
    count: int
    first: datetime
    last: datetime

    @property
    def who(self):
        return f"用户名 {self.value}" if self.field == "username" else f"IP 地址 {self.value}"

    @property
    def message(self):
        if self.action == accounts_actions.LOCKED_OUT:
            return f"{self.who} 在 24 小时内被锁定 {self.count} 次"
        return f"{self.who} 在 10 分钟内有 {self.count} 次访问被拒绝"

    @property
    def filters(self):
        return {"action": self.action, self.field: self.value}

    def covers(self, event):
        """Whether an event of the log is one of those this alert counts."""
        return (
            event.action == self.action
            and str(getattr(event, self.field) or "") == self.value
            and self.first <= event.created_at <= self.last
        )


def audit_alerts(*, now=None):
    """Who needs a look: ≥ 3 lockouts in 24 hours, or ≥ 10 refused accesses within 10 minutes
    (in the last 24 hours), by user name and by address; the most recent first."""
    now = now or clock.now()
    alerts = []
    lockouts = AuditEvent.objects.filter(action=accounts_actions.LOCKED_OUT, created_at__gte=now - LOCKOUTS_WITHIN)
    for field, known in (("username", lockouts.exclude(username="")), ("ip", lockouts.exclude(ip__isnull=True))):
        groups = (
            known.values(field).annotate(count=Count("id"), first=Min("created_at"), last=Max("created_at"))
            .filter(count__gte=LOCKOUTS_ALERT).order_by()
        )
        alerts += [
            Alert(accounts_actions.LOCKED_OUT, field, str(g[field]), g["count"], g["first"], g["last"]) for g in groups
        ]
    refusals = list(
        AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED, created_at__gte=now - REFUSALS_LOOK_BACK)
        .order_by("-created_at").values_list("username", "ip", "created_at")[:REFUSALS_SCANNED]
    )
    refusals.reverse()
    for index, field in enumerate(("username", "ip")):
        times = defaultdict(list)
        for row in refusals:
            if row[index]:
                times[str(row[index])].append(row[2])
        for value, moments in times.items():
            burst = _bursts(moments)
            if burst:
                alerts.append(Alert(accounts_actions.ACCESS_DENIED, field, value, *burst))
    return sorted(alerts, key=lambda alert: alert.last, reverse=True)


def _bursts(moments):
    """(largest count within REFUSALS_WITHIN, start of the first such burst, end of the last) for
    ascending times, or None when no window of that length holds REFUSALS_ALERT of them."""
    peak, first, last = 0, None, None
    start = 0
    for end, moment in enumerate(moments):
        while moment - moments[start] > REFUSALS_WITHIN:
            start += 1
        count = end - start + 1
        if count >= REFUSALS_ALERT:
            peak = max(peak, count)
            first = moments[start] if first is None else first
            last = moment
    return (peak, first, last) if peak else None


def flagged(events, alerts):
    """The ids of the listed events that one of the alerts counts, to mark them in the log."""
    return {event.pk for event in events if any(alert.covers(event) for alert in alerts)}


def recent_failures(limit=10):
    """The latest refused or failed actions, for the audit administrator's page."""
    return AuditEvent.objects.filter(success=False)[:limit]
