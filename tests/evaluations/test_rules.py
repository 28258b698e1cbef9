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


@pytest.mark.parametrize("graded, pair", [
    ([(2024, U), (2025, U)], (2024, 2025)),
    ([(2023, Q), (2024, U), (2025, U)], (2024, 2025)),
    ([(2023, U), (2024, Q), (2025, U)], None),  # a 合格 between: not consecutive
    ([(2025, U)], None),
    ([(2023, U), (2024, U), (2025, Q)], (2023, 2024)),  # a later 合格 does not erase a revocation that was due
    ([(2024, E), (2025, U)], None),
    ([], None),
    # Read by the year evaluated, never by the day decided: 2024 合格 and 2025 不合格, then 2023 back-filled 不合格.
    ([(2024, Q), (2025, U), (2023, U)], None),
    # A year nobody evaluated is not an evaluation: 2023 不合格, 2024 not evaluated, 2025 不合格 are consecutive.
    ([(2023, U), (2025, U)], (2023, 2025)),
    # A back-filled year takes its place: 2023 不合格, then 2025 不合格, then 2024 back-filled 合格 separates them.
    ([(2023, U), (2025, U), (2024, Q)], None),
    ([(2025, U), (2024, U)], (2024, 2025)),
])
def test_revocation_is_due_after_two_unqualified_evaluations_adjacent_in_year_order(graded, pair):
    assert rules.consecutive_unqualified(graded) == pair
    assert rules.revocation_due(graded)[0] is (pair is not None)


def test_the_revocation_due_names_the_two_years_and_the_refusal_says_how_the_rule_is_read():
    assert rules.revocation_due([(2023, U), (2025, U)]) == (True, (
        "该联合体 2023、2025 年度连续 2 次评价为“不合格”，依《工作方案》六（二）应取消市级创新联合体资格；"
        "在市科技局作出取消资格决定（或经复核更正评价结果）前，不能办理其他评价、成员变更或解散。"))
    assert rules.revocation_due([(2024, Q), (2025, U), (2023, U)]) == (
        False, "只有连续 2 次评价为“不合格”（按评价年度相邻的两次评价）的创新联合体才能取消资格。")


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
    assert rules.overdue_years(date(2024, 3, 1), [2024], date(2026, 12, 31)) == [2025]
    assert rules.overdue_years(date(2024, 3, 1), [2024], date(2027, 1, 1)) == [2025, 2026]
    assert rules.overdue_years(date(2026, 3, 1), [], date(2026, 12, 31)) == []


@pytest.mark.parametrize("filed_on, first", [
    (date(2026, 1, 1), 2026),
    (date(2026, 9, 30), 2026),
    (date(2026, 10, 1), 2027),  # REPORT_FIRST_YEAR_CUTOFF (default 10-01): filed on or after it, reports from next year
    (date(2026, 12, 1), 2027),
    (date(2026, 12, 31), 2027),
])
def test_the_first_year_owed_follows_the_cutoff(filed_on, first):
    assert rules.first_report_year(filed_on) == first


def test_the_cutoff_is_a_setting(settings):
    settings.REPORT_FIRST_YEAR_CUTOFF = "12-01"
    assert rules.first_report_year(date(2026, 11, 30)) == 2026
    assert rules.first_report_year(date(2026, 12, 1)) == 2027


def test_a_consortium_filed_on_1_december_owes_nothing_that_year_and_is_not_overdue_on_1_january():
    filed_on = date(2026, 12, 1)
    assert rules.overdue_years(filed_on, [], date(2027, 1, 1)) == []
    assert rules.may_write_report(2026, filed_on, date(2026, 12, 15)) == (False, (
        "该联合体于 2026年12月1日备案（10 月 1 日及以后备案的，自次年起报送），首次报送 2027 年度报告，无需报送 2026 年度报告。"))
    assert rules.may_evaluate_year(2026, filed_on, False, date(2027, 1, 1)) == (False, "该联合体无需报送 2026 年度报告，不能评价该年度。")
    assert rules.overdue_years(filed_on, [], date(2028, 1, 1)) == [2027]


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
    filed_on = date(2026, 3, 1)
    assert rules.may_write_report(2025, filed_on, date(2026, 5, 1)) == (False, "该联合体于 2026 年备案，无需报送 2025 年度报告。")
    assert rules.may_write_report(2027, filed_on, date(2026, 5, 1)) == (False, "2027 年度尚未开始，不能填报该年度报告。")
    assert rules.may_write_report(2026, filed_on, date(2026, 5, 1)) == (True, "")


def test_a_year_is_evaluated_on_its_report_or_once_its_report_is_overdue():
    filed_on = date(2025, 3, 1)
    assert rules.may_evaluate_year(2026, filed_on, True, date(2026, 12, 20)) == (True, "")
    assert rules.may_evaluate_year(2026, filed_on, False, date(2026, 12, 31)) == (
        False, "2026 年度报告尚未报送，且未过报送截止日期（2026年12月31日），暂不能评价。")
    assert rules.may_evaluate_year(2026, filed_on, False, date(2027, 1, 1)) == (True, "")
    assert rules.may_evaluate_year(2024, filed_on, True, date(2027, 1, 1)) == (False, "该联合体无需报送 2024 年度报告，不能评价该年度。")


@pytest.mark.parametrize("graded, recommended", [
    ([(2024, Q), (2025, E)], True),
    ([(2024, E), (2025, Q)], False),
    ([(2025, E), (2023, U)], True),  # 2025 优秀, then 2023 back-filled: 2025 is still the latest year evaluated
    ([(2024, E), (2026, Q), (2025, E)], False),
    ([], False),
])
def test_the_latest_year_evaluated_decides_the_recommendation(graded, recommended):
    assert rules.recommended(graded) is recommended


def test_a_member_change_takes_effect_after_filing_and_after_the_last_change():
    assert rules.effective_date_valid(date(2026, 1, 1), date(2026, 3, 1), None) == (False, "生效日期不能早于备案日期（2026年3月1日）。")
    assert rules.effective_date_valid(date(2026, 5, 1), date(2026, 3, 1), date(2026, 6, 1)) == (
        False, "生效日期不能早于上一次已备案成员变更的生效日期（2026年6月1日）。")
    assert rules.effective_date_valid(date(2026, 6, 1), date(2026, 3, 1), date(2026, 6, 1)) == (True, "")
