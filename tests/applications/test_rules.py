"""The seed's rules (applications.rules): plain functions over what they are given, each both ways."""

from datetime import date
from types import SimpleNamespace

import pytest

from applications import regions, rules
from applications.choices import RegistrationStatus, Status, UnitKind
from applications.validators import credit_code_check_char


def code(first17):
    return first17 + credit_code_check_char(first17)


UNIVERSITY_CODE = code("12320000466008000")  # 事业单位, as public universities are
ENTERPRISE_CODE = code("91321102MA1X00010")
SOCIETY_CODE = code("52321100MA1X00020")  # 民办非企业单位


def unit(**fields):
    defaults = {"name": "镇江甲有限公司", "kind": UnitKind.ENTERPRISE, "registration_status": RegistrationStatus.APPROVED,
                "bureau_id": 1, "is_legal_person": True}
    return SimpleNamespace(**{**defaults, **fields})


def test_a_registered_zhenjiang_company_may_lead():
    assert rules.lead_unit_eligible(unit()) == (True, "")


@pytest.mark.parametrize(("fields", "reason"), [
    ({"registration_status": RegistrationStatus.UNREGISTERED}, "单位注册尚未通过所在辖市区科技部门审核，暂不能牵头申报。"),
    ({"bureau_id": None}, "牵头单位须在镇江市注册。"),
    ({"kind": UnitKind.UNIVERSITY}, "牵头单位须为具有独立法人资格的企业。"),
    ({"is_legal_person": False}, "牵头单位须为具有独立法人资格的企业。"),
])
def test_a_lead_that_is_not_a_registered_zhenjiang_company_is_refused(fields, reason):
    assert rules.lead_unit_eligible(unit(**fields)) == (False, reason)


def test_one_live_consortium_per_lead():
    assert rules.leads_one_live_consortium("甲公司", None) == (True, "")
    other = SimpleNamespace(name="乙联合体", get_status_display=lambda: Status.FILED.label)
    assert rules.leads_one_live_consortium("甲公司", other) == (
        False, "甲公司已牵头“乙联合体”（已备案），1 家牵头单位只能牵头组建 1 个创新联合体。")


def test_a_ban_names_the_unit_the_reason_and_the_day_it_ends():
    assert rules.not_banned("甲公司", None) == (True, "")
    ban = SimpleNamespace(reason="连续 2 次评价为“不合格”", ends_on=date(2029, 2, 28))
    assert rules.not_banned("甲公司", ban) == (False, "甲公司因连续 2 次评价为“不合格”，2029年2月28日前不得牵头或参与创新联合体。")


@pytest.mark.parametrize(("count", "ok"), [(3, False), (4, True), (9, True)])
def test_at_least_four_members_besides_the_lead_in_principle(count, ok):
    assert rules.enough_members(count)[0] is ok


def test_the_member_minimum_follows_the_setting(settings):
    settings.CONSORTIUM_MIN_MEMBERS = 2
    assert rules.enough_members(2) == (True, "")
    assert rules.enough_members(1) == (False, "目前成员单位 1 家（不含牵头单位），原则上不少于 2 家：请添加成员单位，或填写情况说明。")


def test_at_least_one_university_or_institute_in_principle():
    assert rules.has_research_member([UnitKind.ENTERPRISE, UnitKind.INSTITUTE]) == (True, "")
    assert rules.has_research_member([UnitKind.ENTERPRISE, UnitKind.OTHER]) == (
        False, "成员单位中没有高校或科研院所（原则上不少于 1 家）：请添加高校院所，或填写情况说明。")


def test_shortfalls_count_members_without_the_lead():
    lead = (UnitKind.ENTERPRISE, True)
    four = [(UnitKind.UNIVERSITY, False)] + [(UnitKind.ENTERPRISE, False)] * 3
    assert rules.member_shortfalls([lead] + four) == []
    assert rules.member_shortfalls([lead] + four[1:]) == [
        "目前成员单位 3 家（不含牵头单位），原则上不少于 4 家", "成员单位中没有高校或科研院所（原则上不少于 1 家）"]


def test_a_statement_must_say_something():
    assert rules.statement_given("说明") == (True, "")
    assert rules.statement_given("  \n ")[0] is False


@pytest.mark.parametrize(("kind", "credit_code", "warned"), [
    (UnitKind.UNIVERSITY, UNIVERSITY_CODE, False),
    (UnitKind.INSTITUTE, SOCIETY_CODE, False),
    (UnitKind.ENTERPRISE, ENTERPRISE_CODE, False),
    (UnitKind.UNIVERSITY, ENTERPRISE_CODE, True),
    (UnitKind.INSTITUTE, ENTERPRISE_CODE, True),
    (UnitKind.ENTERPRISE, UNIVERSITY_CODE, True),
    (UnitKind.ENTERPRISE, SOCIETY_CODE, True),
    (UnitKind.OTHER, ENTERPRISE_CODE, False),
])
def test_a_declared_kind_is_checked_against_the_codes_registration_authority(kind, credit_code, warned):
    assert rules.kind_matches_credit_code(kind, credit_code)[0] is not warned


def test_the_kind_warning_says_what_the_code_is_and_allows_a_new_research_institution():
    assert rules.kind_matches_credit_code(UnitKind.UNIVERSITY, ENTERPRISE_CODE) == (False, (
        "该代码首位为“9”（市场监管（工商）部门登记的企业），与申报的单位类型“高校”不符，请核对；登记为企业的新型研发机构可保留。"))
    assert rules.kind_matches_credit_code(UnitKind.ENTERPRISE, UNIVERSITY_CODE) == (
        False, "该代码首位为“1”（机构编制部门登记的单位，不是企业），与申报的单位类型“企业”不符，请核对。")


def test_a_declaration_is_compared_only_with_a_registered_unit():
    registered = unit(name="镇江甲科技有限公司")
    assert rules.declaration_matches_registry("镇江甲科技有限公司", UnitKind.ENTERPRISE, registered) == []
    assert rules.declaration_matches_registry("镇江 甲科技有限公司", UnitKind.ENTERPRISE, registered) == []  # spaces aside
    assert rules.declaration_matches_registry("甲大学", UnitKind.UNIVERSITY, registered) == [
        "申报名称“甲大学”与该代码的注册名称“镇江甲科技有限公司”不一致", "申报类型“高校”与注册信息（企业）不一致"]
    bare = unit(name="第一个申报的名称", registration_status=RegistrationStatus.UNREGISTERED)
    assert rules.declaration_matches_registry("另一个名称", UnitKind.UNIVERSITY, bare) == []
    assert rules.declaration_matches_registry("另一个名称", UnitKind.UNIVERSITY, None) == []


def test_a_credit_code_is_valid_or_the_message_names_the_unit():
    assert rules.credit_code_valid("甲", ENTERPRISE_CODE) == (True, "")
    assert rules.credit_code_valid("甲", ENTERPRISE_CODE[:10]) == (False, "甲：统一社会信用代码应为 18 位，当前为 10 位。")


@pytest.mark.parametrize(("status", "ok"), [(Status.DRAFT, True), (Status.RETURNED, True), (Status.RETURNED_BY_CITY, True),
                                            (Status.SUBMITTED, False), (Status.FILED, False)])
def test_the_lead_edits_only_a_draft_or_a_returned_application(status, ok):
    assert rules.editable(status, Status(status).label)[0] is ok


# --- Where a credit code was issued (characters 3–8) ----------------------------------------------


@pytest.mark.parametrize(("code", "region", "in_zhenjiang"), [
    ("91321102MA1X00010K", "镇江市京口区", True),
    ("91321183MA1X00080X", "镇江市句容市", True),
    ("91321191MA1X00070X", "镇江市", True),  # a 3211xx code the table does not name: still 镇江
    ("91320100MA1X00160X", "江苏省南京市", False),
    ("91321000MA1X00160X", "江苏省扬州市", False),
    ("91320000MA1X00160X", "江苏省", False),
    ("91330100MA1X00160X", "浙江省（江苏省外）", False),
    ("12100000400000723X", "国家级登记管理机关", False),
    ("91990000MA1X00160X", "江苏省外", False),
])
def test_a_codes_region_is_named_from_its_characters_3_to_8(code, region, in_zhenjiang):
    assert (regions.region_name(code), regions.in_zhenjiang(code)) == (region, in_zhenjiang)


def test_a_code_from_outside_zhenjiang_is_a_flag_with_the_region_named():
    assert rules.code_issued_in_zhenjiang("91321102MA1X00010K") == (True, "")
    assert rules.code_issued_in_zhenjiang("91330100MA1X00160X") == (False, (
        "统一社会信用代码第 3–8 位为 330100（浙江省（江苏省外）），不是镇江市（3211xx）发放的代码："
        "请核实该单位是否在镇江市注册（由外地迁入的单位可能保留原代码）。"))
