"""The after-filing rules of the work plan as (ok, reason). Nothing here queries the database."""

import calendar
from datetime import date, timedelta

from .choices import FUNDING_CAPS, Grade, ProjectKind, Reminder, ReportStanding

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


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


# --- Annual reports (§六（三）) ----------------------------------------------------------------


def report_due_on(year):
    """每年 12 月 31 日前报送: the report of a year is due on the last day of that year."""
    return date(year, 12, 31)


# The years a page may name (a URL can say any number; a date cannot hold every one).
PLAUSIBLE_YEARS = range(2000, 2100)


def may_write_report(year, filed_year, today):
    """A filed consortium reports on every year from the year of its 备案 up to the current one."""
    if year < filed_year:
        return False, f"该联合体于 {filed_year} 年备案，无需报送 {year} 年度报告。"
    if year > today.year:
        return False, f"{year} 年度尚未开始，不能填报该年度报告。"
    return OK


def overdue_years(filed_year, submitted_years, today):
    """The years whose report is past its due date and not submitted, oldest first."""
    submitted = set(submitted_years)
    return [year for year in range(filed_year, today.year) if year not in submitted and report_due_on(year) < today]


def grade_without_report(grade, overdue):
    """A year whose report never came may be graded on that ground alone, once it is overdue, and only 不合格:
    otherwise a consortium could escape its second 不合格 (§六（二）) by not reporting (§六（三））."""
    if not overdue:
        return False, "该年度报告尚未逾期，绩效评价须依据已报送的年度报告。"
    if grade != Grade.UNQUALIFIED:
        return False, "逾期未报送年度报告的，评价结果只能为“不合格”。"
    return OK


def report_standing(year, started, submitted_on, today):
    """Where the report of a year stands: not started, being written, submitted (in time or late), overdue."""
    due = report_due_on(year)
    if submitted_on is not None:
        return ReportStanding.SUBMITTED_LATE if submitted_on > due else ReportStanding.SUBMITTED
    if today > due:
        return ReportStanding.OVERDUE
    return ReportStanding.DRAFT if started else ReportStanding.NOT_STARTED


# Each reminder is sent from its day until the next one is due, so that a day the daily job did not run
# is caught up the next day; the reminder after the due date is caught up for 30 days, no longer.
REMINDER_WINDOWS = [
    (Reminder.BEFORE_30, -30, -8),
    (Reminder.BEFORE_7, -7, 0),
    (Reminder.OVERDUE, 1, 30),
]


def reminder_due(year, today):
    """The reminder of the report of ``year`` that is due on ``today``, or None."""
    due = report_due_on(year)
    for reminder, first, last in REMINDER_WINDOWS:
        if due + timedelta(days=first) <= today <= due + timedelta(days=last):
            return reminder
    return None


def report_missing(figures, texts, targets):
    """What a report still lacks before it can be submitted: every figure (0 is a figure), the three texts,
    a state for each of the year's targets. ``figures``/``texts``: {label: value}; ``targets``: [(task, state)]."""
    missing = [label for label, value in figures.items() if value is None]
    missing += [label for label, value in texts.items() if not (value or "").strip()]
    missing += [f"目标任务“{task[:20]}”的完成情况" for task, state in targets if not state]
    return missing


def change_between(value, previous):
    """This year's figure against last year's: the difference, or None when either is missing."""
    if value is None or previous is None:
        return None
    return value - previous


# --- 绩效评价 consequences (§六（二）) ------------------------------------------------------------


def recommended(grades):
    """评价结果为“优秀”的 … 推荐申报省级以上创新联合体: the latest grade is 优秀. ``grades``: oldest first."""
    return bool(grades) and grades[-1] == Grade.EXCELLENT


def ban_dates_valid(starts_on, ends_on):
    if ends_on <= starts_on:
        return False, "截止日期须晚于起始日期。"
    return OK


# --- Member changes by 补充协议 (§六（三）) -------------------------------------------------------


def effective_date_valid(effective_on, filed_on, last_effective_on):
    """A change takes effect on or after the 备案 date and not before a change already recorded."""
    if effective_on < filed_on:
        return False, f"生效日期不能早于备案日期（{chinese_date(filed_on)}）。"
    if last_effective_on is not None and effective_on < last_effective_on:
        return False, f"生效日期不能早于上一次已备案成员变更的生效日期（{chinese_date(last_effective_on)}）。"
    return OK


def change_not_empty(additions, removals):
    if not additions and not removals:
        return False, "请至少新增或退出一家成员单位。"
    return OK


def lead_stays(removed_roles):
    """The lead unit is the consortium's 负责主体: it leaves only by dissolution, never by a member change."""
    if "lead" in removed_roles:
        return False, "牵头单位不能通过成员变更退出。"
    return OK
