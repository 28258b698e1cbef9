"""The after-filing rules of the work plan as (ok, reason). Nothing here queries the database."""

import calendar
from datetime import date

from .choices import FUNDING_CAPS, Grade, ProjectKind

OK = (True, "")
BAN_YEARS = 3


def add_years(day, years):
    """The same day ``years`` later; 29 February becomes 28 February in a year without it."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def ban_period(revoked_on):
    """§六（二）: the lead unit may not lead or join for 3 years from the revocation; (first day, first free day)."""
    return revoked_on, add_years(revoked_on, BAN_YEARS)


def revocation_due(grades):
    """§六（二）: two consecutive 不合格 — the last two evaluations of the consortium, whatever years they fall in.

    ``grades``: the consortium's grades, oldest first.
    """
    if len(grades) >= 2 and grades[-1] == grades[-2] == Grade.UNQUALIFIED:
        return OK
    return False, "只有连续 2 次评价为“不合格”的创新联合体才能取消资格。"


def within_funding_cap(kind, amount):
    """§五: 重点项目 at most 200 万元, 揭榜挂帅 at most 100 万元."""
    cap = FUNDING_CAPS.get(kind)
    if cap is not None and amount is not None and amount > cap:
        return False, f"{ProjectKind(kind).label}经费支持最高 {cap:.0f} 万元，当前填写 {amount} 万元。"
    return OK


def no_project_running(running):
    """§六（三）: no dissolution while a 市级以上 project is 在研. ``running``: those projects."""
    if running:
        names = "、".join(f"“{p.name}”（{p.get_level_display()}，{p.get_status_display()}）" for p in running)
        return False, f"创新联合体承担的市级以上科技计划项目尚在研，不得解散：{names}。"
    return OK
