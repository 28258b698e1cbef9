"""形式审查 (applications.readiness): every rule both ways, over the live draft and over a frozen version."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import readiness, services
from applications.choices import Status
from applications.models import Membership, UnitBan
from tests import factories
from tests.lifecycle import complete_application

pytestmark = pytest.mark.django_db


def failing(application, content=None):
    return {check.title: check.reasons for check in readiness.run(application, content) if not check.ok}


def states(application):
    return {check.title: check.state for check in readiness.run(application)}


def test_a_complete_application_passes_every_check():
    _, application = complete_application()
    assert failing(application) == {}


def test_four_members_besides_the_lead_need_no_statement():
    _, application = complete_application(members=4)
    assert states(application)["成员单位不少于 4 家（不含牵头单位）"] == "pass"


def test_three_members_besides_the_lead_need_a_statement():
    applicant, application = complete_application(members=3)
    assert failing(application) == {"成员单位不少于 4 家（不含牵头单位）": [
        "目前成员单位 3 家（不含牵头单位），原则上不少于 4 家：请添加成员单位，或填写情况说明。"
    ]}
    services.save_part(application.pk, "statement", applicant, None, "本产业链上游企业较少，已与两家高校签订意向协议。")
    assert failing(application) == {}
    assert states(application)["成员单位不少于 4 家（不含牵头单位）"] == "explained"


def test_the_member_minimum_is_a_setting(settings):
    settings.CONSORTIUM_MIN_MEMBERS = 5
    _, application = complete_application(members=4)
    assert failing(application) == {"成员单位不少于 5 家（不含牵头单位）": [
        "目前成员单位 4 家（不含牵头单位），原则上不少于 5 家：请添加成员单位，或填写情况说明。"
    ]}


def test_no_university_or_institute_needs_a_statement():
    applicant, application = complete_application(with_university=False)
    assert failing(application) == {"成员单位中至少有 1 家高校或科研院所": [
        "成员单位中没有高校或科研院所（原则上不少于 1 家）：请添加高校院所，或填写情况说明。"
    ]}
    services.save_part(application.pk, "statement", applicant, None, "拟引入的研究院所正在办理法人登记。")
    assert failing(application) == {}


def test_a_blank_statement_does_not_count():
    applicant, application = complete_application(with_university=False)
    services.save_part(application.pk, "statement", applicant, None, "   ")
    assert list(failing(application)) == ["成员单位中至少有 1 家高校或科研院所"]


def test_the_readiness_page_asks_for_the_statement_and_saves_it(client):
    applicant, application = complete_application(members=3)
    client.force_login(applicant)
    page = client.get(reverse("applications:readiness", args=[application.consortium_id])).content.decode()
    assert "情况说明" in page and 'name="shortfall_statement"' in page
    url = reverse("applications:statement", args=[application.consortium_id])
    empty = client.post(url, {"lock_version": application.lock_version, "shortfall_statement": ""})
    assert empty.context["statement_form"].errors["shortfall_statement"] == ["请填写情况说明。"]
    response = client.post(url, {"lock_version": application.lock_version, "shortfall_statement": "上游企业较少。"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.shortfall_statement == "上游企业较少。"


def test_a_complete_application_is_not_asked_for_a_statement(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    page = client.get(reverse("applications:readiness", args=[application.consortium_id])).content.decode()
    assert 'name="shortfall_statement"' not in page


def test_a_lead_that_is_not_a_company_fails():
    _, application = complete_application()
    lead = application.consortium.lead_unit
    lead.is_legal_person = False
    lead.save()
    assert failing(application) == {"牵头单位在镇江市注册，为独立法人企业": ["牵头单位须为具有独立法人资格的企业。"]}


def test_a_lead_already_leading_another_live_consortium_fails():
    applicant, application = complete_application()
    other = factories.consortium(lead=factories.unit(), name="另一个")
    Membership.objects.filter(consortium=other).delete()
    other.lead_unit = application.consortium.lead_unit
    other.status = Status.REJECTED
    other.save()
    assert failing(application) == {}
    application.consortium.status = Status.REJECTED
    application.consortium.save()
    other.status = Status.FILED
    other.record_number, other.filed_on = "ZJ-1", timezone.localdate()
    other.save()
    application.consortium.status = Status.DRAFT  # as the check sees it: another live one exists
    assert failing(application)["牵头单位未牵头其他在建或已备案的创新联合体"] == [
        f"{other.lead_unit.name}已牵头“另一个”（已备案），1 家牵头单位只能牵头组建 1 个创新联合体。"
    ]


def test_a_banned_member_fails_naming_it_as_declared_and_until_when():
    _, application = complete_application()
    membership = application.consortium.memberships.filter(role="member").first()
    until = timezone.localdate() + timedelta(days=400)
    UnitBan.objects.create(unit=membership.unit, starts_on=timezone.localdate() - timedelta(days=10), ends_on=until,
                           reason="连续两次评价不合格")
    assert failing(application) == {"无被取消资格、限制参与的单位": [
        f"{membership.unit_name}因连续两次评价不合格，{until.year}年{until.month}月{until.day}日前不得牵头或参与创新联合体。"
    ]}


def test_a_ban_that_ended_no_longer_fails():
    _, application = complete_application()
    unit = application.consortium.memberships.filter(role="member").first().unit
    UnitBan.objects.create(unit=unit, starts_on=timezone.localdate() - timedelta(days=1200),
                           ends_on=timezone.localdate(), reason="连续两次评价不合格")
    assert failing(application) == {}


def test_missing_money_for_an_enterprise_fails():
    _, application = complete_application()
    member = application.consortium.memberships.filter(role="member", unit_kind="enterprise").first()
    member.rd_spend = None
    member.save()
    assert failing(application) == {"企业成员已填写近一年销售收入和研发投入": [f"{member.unit_name}未填写近一年研发投入。"]}


def test_a_missing_licence_fails():
    _, application = complete_application()
    licence = application.consortium.attachments.filter(kind="license").first()
    name = application.consortium.memberships.get(unit=licence.unit).unit_name
    licence.delete()
    assert failing(application) == {"附件材料齐全": [f"缺少{name}的营业执照或法人证书复印件。"]}


def test_a_missing_required_field_fails_and_names_it():
    _, application = complete_application()
    application.governance = ""
    application.save()
    assert failing(application) == {"“基础信息”必填项已填写": ["未填写：联合体决策及运行机制。"]}


def test_an_invalid_stored_credit_code_fails_without_proposing_a_character():
    _, application = complete_application()
    membership = application.consortium.memberships.filter(role="member").first()
    unit = membership.unit
    unit.credit_code = unit.credit_code[:17] + ("0" if unit.credit_code[17] != "0" else "1")
    unit.save()
    assert failing(application) == {"各单位统一社会信用代码有效且互不重复": [
        f"{membership.unit_name}：统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"
    ]}


def test_pending_invalid_input_fails_until_fixed(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "basic"])
    client.post(url, {"lock_version": application.lock_version, "staff_total": "abc"})
    assert failing(application) == {"没有暂存但未通过校验的内容": ["以下部分有暂存但未通过校验的内容，请打开改正后保存：“基础信息”。"]}


def test_a_frozen_version_is_judged_as_submitted_not_as_the_live_rows_are_now():
    applicant, application = complete_application()
    version = services.submit_application(application.pk, applicant)
    application.consortium.memberships.filter(role="member").update(task_division="")  # a live change after submission
    assert failing(application, version.content) == {}


# --- Flags for reviewers ---------------------------------------------------------------------


def test_a_shortfall_is_flagged_with_its_statement():
    applicant, application = complete_application(members=3)
    services.save_part(application.pk, "statement", applicant, None, "上游企业较少。")
    version = services.submit_application(application.pk, applicant)
    assert readiness.flags(version.content) == [(
        "statement",
        "未达到原则性组建条件：目前成员单位 3 家（不含牵头单位），原则上不少于 4 家",
        "上游企业较少。",
    )]


def test_an_enterprise_code_declared_as_a_university_is_flagged_but_not_refused():
    applicant, application = complete_application()
    university = application.consortium.memberships.get(unit_kind="university")
    enterprise_code = factories.credit_code("913211")
    university.unit.credit_code = enterprise_code
    university.unit.save()
    assert failing(application) == {}
    content = readiness.snapshot.build(readiness.snapshot.load(application.pk))
    assert readiness.flags(content) == [("member", f"江苏大学测试（{enterprise_code}）", (
        "该代码首位为“9”（市场监管（工商）部门登记的企业），与申报的单位类型“高校”不符，请核对；登记为企业的新型研发机构可保留。"
    ))]


def test_a_declaration_that_disagrees_with_the_registration_is_flagged():
    applicant, application = complete_application()
    member = application.consortium.memberships.filter(unit_kind="enterprise", role="member").first()
    member.unit.name, member.unit.registration_status = "注册名称有限公司", "approved"
    member.unit.save()
    content = readiness.snapshot.build(readiness.snapshot.load(application.pk))
    assert readiness.flags(content) == [("member", f"{member.unit_name}（{member.unit.credit_code}）",
                                        f"申报名称“{member.unit_name}”与该代码的注册名称“注册名称有限公司”不一致")]
