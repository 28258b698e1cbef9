"""The after-filing rules of the work plan, as pure functions: dates, reminders, grades, caps."""

from datetime import date
from decimal import Decimal

import pytest

from evaluations import rules
from evaluations.choices import Grade, ProjectKind, Reminder, ReportStanding

Q, U, E = Grade.QUALIFIED, Grade.UNQUALIFIED, Grade.EXCELLENT


@pytest.mark.parametrize("revoked_on, free_on", [
    (date(2028, 2, 29), date(2031, 2, 28)),  # a revocation on 29 February ends on 28 February three years later
    (date(2027, 2, 28), date(2030, 2, 28)),
    (date(2026, 3, 10), date(2029, 3, 10)),
    (date(2026, 12, 31), date(2029, 12, 31)),
])
def test_the_ban_runs_three_years_from_the_revocation(revoked_on, free_on):
    assert rules.ban_period(revoked_on) == (revoked_on, free_on)


@pytest.mark.parametrize("grades, due", [
    ([U, U], True),
    ([Q, U, U], True),
    ([U, Q, U], False),  # a 合格 between resets the count
    ([U], False),
    ([U, U, Q], False),
    ([E, U], False),
    ([], False),
])
def test_revocation_is_due_after_two_consecutive_unqualified_grades(grades, due):
    assert rules.revocation_due(grades)[0] is due


@pytest.mark.parametrize("kind, amount, ok", [
    (ProjectKind.KEY_PROJECT, Decimal("200.00"), True),
    (ProjectKind.KEY_PROJECT, Decimal("200.01"), False),
    (ProjectKind.OPEN_COMPETITION, Decimal("100.00"), True),
    (ProjectKind.OPEN_COMPETITION, Decimal("100.01"), False),
    (ProjectKind.PROVINCIAL_PLAN, Decimal("800.00"), True),
])
def test_funding_caps(kind, amount, ok):
    assert rules.within_funding_cap(kind, amount)[0] is ok


def test_funding_cap_names_the_cap_and_the_amount():
    assert rules.within_funding_cap(ProjectKind.KEY_PROJECT, Decimal("200.01")) == (
        False, "市科技计划“项目+课题”重点项目经费支持最高 200 万元，当前填写 200.01 万元。")


@pytest.mark.parametrize("today, reminder", [
    (date(2026, 11, 30), None),
    (date(2026, 12, 1), Reminder.BEFORE_30),
    (date(2026, 12, 23), Reminder.BEFORE_30),  # a missed day is caught up until the next reminder is due
    (date(2026, 12, 24), Reminder.BEFORE_7),
    (date(2026, 12, 31), Reminder.BEFORE_7),
    (date(2027, 1, 1), Reminder.OVERDUE),
    (date(2027, 1, 30), Reminder.OVERDUE),
    (date(2027, 1, 31), None),
])
def test_reminders_of_the_2026_report(today, reminder):
    assert rules.reminder_due(2026, today) == reminder


def test_a_report_is_due_on_the_last_day_of_its_year_and_overdue_the_day_after():
    assert rules.report_due_on(2026) == date(2026, 12, 31)
    assert rules.overdue_years(2024, [2024], date(2026, 12, 31)) == [2025]
    assert rules.overdue_years(2024, [2024], date(2027, 1, 1)) == [2025, 2026]
    assert rules.overdue_years(2026, [], date(2026, 12, 31)) == []


@pytest.mark.parametrize("started, submitted_on, today, standing", [
    (False, None, date(2026, 6, 1), ReportStanding.NOT_STARTED),
    (True, None, date(2026, 12, 31), ReportStanding.DRAFT),
    (True, None, date(2027, 1, 1), ReportStanding.OVERDUE),
    (True, date(2026, 12, 31), date(2027, 3, 1), ReportStanding.SUBMITTED),
    (True, date(2027, 1, 2), date(2027, 3, 1), ReportStanding.SUBMITTED_LATE),
])
def test_report_standing(started, submitted_on, today, standing):
    assert rules.report_standing(2026, started, submitted_on, today) == standing


def test_only_years_from_filing_until_now_are_reported_on():
    assert rules.may_write_report(2025, 2026, date(2026, 5, 1)) == (False, "该联合体于 2026 年备案，无需报送 2025 年度报告。")
    assert rules.may_write_report(2027, 2026, date(2026, 5, 1)) == (False, "2027 年度尚未开始，不能填报该年度报告。")
    assert rules.may_write_report(2026, 2026, date(2026, 5, 1)) == (True, "")


def test_latest_grade_excellent_is_recommended():
    assert rules.recommended([Q, E])
    assert not rules.recommended([E, Q])
    assert not rules.recommended([])


def test_a_member_change_takes_effect_after_filing_and_after_the_last_change():
    assert rules.effective_date_valid(date(2026, 1, 1), date(2026, 3, 1), None) == (False, "生效日期不能早于备案日期（2026年3月1日）。")
    assert rules.effective_date_valid(date(2026, 5, 1), date(2026, 3, 1), date(2026, 6, 1)) == (
        False, "生效日期不能早于上一次已备案成员变更的生效日期（2026年6月1日）。")
    assert rules.effective_date_valid(date(2026, 6, 1), date(2026, 3, 1), date(2026, 6, 1)) == (True, "")
