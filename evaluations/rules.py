"""The after-filing rules of the work plan as (ok, reason). Nothing here queries the database."""

import calendar
from datetime import date, timedelta

from django.conf import settings

from operations.text import chinese_date

from .choices import DISTRICT_SUPPORT_KINDS, FUNDING_CAPS, PROJECT_KIND_LEVELS, Grade, ProjectKind, ProjectLevel, Reminder, ReportStanding

OK = (True, "")
BAN_YEARS = 3


def add_years(day, years):
    """The same day ``years`` later; 29 February becomes 28 February in a year without it."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def ban_period(revoked_on):
    """§六（二）: the lead unit may not lead or join for 3 years from the revocation; (first day, first free day)."""
    return revoked_on, add_years(revoked_on, BAN_YEARS)


def in_year_order(graded):
    """``graded``: [(year evaluated, grade)] in any order → the same, by year: the order §六（二） reads them in."""
    return sorted(graded, key=lambda pair: pair[0])


def consecutive_unqualified(graded):
    """§六（二） 连续 2 次评价为“不合格”: two evaluations adjacent in year order, both 不合格 (a year nobody evaluated is
    not an evaluation, so it does not separate them). The latest such pair of years, or None.

    ``graded``: [(year evaluated, grade)] of one consortium, in any order (back-filled years take their place).
    """
    ordered = in_year_order(graded)
    for (year_before, before), (year, grade) in reversed(list(zip(ordered, ordered[1:]))):
        if before == grade == Grade.UNQUALIFIED:
            return year_before, year
    return None


def revocation_due(graded):
    """Whether §六（二） requires the revocation now; the reason says which two years, or why not."""
    pair = consecutive_unqualified(graded)
    if pair is None:
        return False, "只有连续 2 次评价为“不合格”（按评价年度相邻的两次评价）的创新联合体才能取消资格。"
    return True, revocation_due_reason(pair)


def revocation_due_reason(pair):
    return (f"该联合体 {pair[0]}、{pair[1]} 年度连续 2 次评价为“不合格”，依《工作方案》六（二）应取消市级创新联合体资格；"
            "在市科技局作出取消资格决定（或经复核更正评价结果）前，不能办理其他评价、成员变更或解散。")


def kind_level_valid(kind, level, allowed=PROJECT_KIND_LEVELS):
    """§五: 重点项目 and 揭榜挂帅 are 市级, a 省级以上科技计划 省级 or 国家级 (``allowed``: kind → the levels it may have)."""
    labels = {each.value: each.label for each in allowed}
    if kind not in labels:
        return False, "请选择类别。"
    levels = allowed[kind]
    if level in levels:
        return OK
    return False, f"{labels[kind]}的级别只能是{'或'.join(ProjectLevel(each).label for each in levels)}。"


def district_may_record(kind):
    """§五（二）: a district bureau records the 资助 it gives (市区资助); the rest is the city's to record."""
    if kind in DISTRICT_SUPPORT_KINDS:
        return OK
    return False, "辖市区科技局只能登记本辖区给予的“市区资助”，其他类别由市科技局登记。"


FIRST_SUPPORT_YEAR = 2000


def support_year_valid(year, today):
    if year is None or not FIRST_SUPPORT_YEAR <= year <= today.year:
        return False, f"请填写 {FIRST_SUPPORT_YEAR} 年至 {today.year} 年之间的年度。"
    return OK


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


# --- Annual reports (§六（三）) ----------------------------------------------------------------


def report_due_on(year):
    """每年 12 月 31 日前报送: the report of a year is due on the last day of that year."""
    return date(year, 12, 31)


# The years a page may name (a URL can say any number; a date cannot hold every one).
PLAUSIBLE_YEARS = range(2000, 2100)


def first_year_cutoff():
    """(month, day) of ``REPORT_FIRST_YEAR_CUTOFF`` (default 10-01): a consortium filed on or after that day of a year
    first reports for the next year (a few weeks are not a year's work)."""
    month, day = (int(part) for part in settings.REPORT_FIRST_YEAR_CUTOFF.split("-"))
    return month, day


def first_report_year(filed_on):
    """The first year a consortium filed on ``filed_on`` reports on (§六（三））."""
    return filed_on.year + 1 if (filed_on.month, filed_on.day) >= first_year_cutoff() else filed_on.year


def may_write_report(year, filed_on, today):
    """A filed consortium reports on every year from its first (rules.first_report_year) up to the current one."""
    first = first_report_year(filed_on)
    if year < first:
        if year == filed_on.year:
            month, day = first_year_cutoff()
            return False, (f"该联合体于 {chinese_date(filed_on)}备案（{month} 月 {day} 日及以后备案的，自次年起报送），"
                           f"首次报送 {first} 年度报告，无需报送 {year} 年度报告。")
        return False, f"该联合体于 {filed_on.year} 年备案，无需报送 {year} 年度报告。"
    if year > today.year:
        return False, f"{year} 年度尚未开始，不能填报该年度报告。"
    return OK


def overdue_years(filed_on, submitted_years, today):
    """The years whose report is past its due date and not submitted, oldest first."""
    submitted = set(submitted_years)
    return [year for year in range(first_report_year(filed_on), today.year) if year not in submitted and report_due_on(year) < today]


def may_evaluate_year(year, filed_on, submitted, today):
    """A year is evaluated on its submitted report, or, once its report is overdue and never came, on that fact (the
    experts or the third party are told 逾期未报送); never before it is owed. ``submitted``: the report came."""
    if year < first_report_year(filed_on) or year > today.year:
        return False, f"该联合体无需报送 {year} 年度报告，不能评价该年度。"
    if not submitted and not report_due_on(year) < today:
        return False, f"{year} 年度报告尚未报送，且未过报送截止日期（{chinese_date(report_due_on(year))}），暂不能评价。"
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


def latest_grade(graded):
    """The grade of the latest year evaluated (``graded``: [(year, grade)] in any order), or None."""
    ordered = in_year_order(graded)
    return ordered[-1][1] if ordered else None


def recommended(graded):
    """评价结果为“优秀”的 … 推荐申报省级以上创新联合体: the latest year evaluated is 优秀 (a year back-filled later does not
    change which year is the latest). ``graded``: [(year, grade)] in any order."""
    return latest_grade(graded) == Grade.EXCELLENT


def ban_dates_valid(starts_on, ends_on):
    """A ban recorded by hand ends after it starts and lasts at most the 3 years of §六（二）."""
    if ends_on <= starts_on:
        return False, "截止日期须晚于起始日期。"
    if ends_on > add_years(starts_on, BAN_YEARS):
        return False, f"限制期最长 3 年（《工作方案》六（二））：截止日期最晚为{chinese_date(add_years(starts_on, BAN_YEARS))}。"
    return OK


def grade_changed(previous, grade):
    """A 复核 corrects a grade to another one."""
    if grade not in Grade.values:
        return False, "请选择复核后的评价结果（优秀、合格、不合格）。"
    if grade == previous:
        return False, f"复核后的评价结果与原结果（{Grade(previous).label}）相同，无需更正。"
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
