import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from applications import readiness, services
from applications.choices import RegistrationStatus, Status
from applications.models import Consortium, Registration, Unit, UnitBan
from tests import factories
from tests.accounts.test_security import registration_data
from tests.lifecycle import cast_at, complete_application

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    return client.post(reverse("applications:register"), registration_data(**overrides))


def test_registration_then_district_approval_lets_the_applicant_start_an_application(client):
    response = register(client, credit_code="９１３５０１００ｍ０００１００ｙ４３")
    assert response.status_code == 302
    registration = Registration.objects.get(credit_code="91350100M000100Y43")
    assert registration.status == RegistrationStatus.PENDING
    assert not Unit.objects.filter(credit_code="91350100M000100Y43").exists()  # nothing in the registry yet
    page = client.get(reverse("dashboards:applicant")).content.decode()
    assert "单位注册正在等待 京口区科学技术局 审核" in page
    start = client.get(reverse("applications:start")).content.decode()
    assert "暂不能新建申请：您的单位注册尚未通过审核，暂不能牵头申报。" in start

    reviewer = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(reviewer)
    assert registration.name in client.get(reverse("applications:registration_queue")).content.decode()
    client.post(reverse("applications:registration_decide", args=[registration.pk]), {"decision": "approve"})
    unit = Unit.objects.get(credit_code="91350100M000100Y43")
    assert (unit.name, unit.registration_status, unit.bureau.district) == ("镇江示例科技有限公司", RegistrationStatus.APPROVED, "京口区")
    assert User.objects.get(username="zhangwei2026").unit == unit

    client.force_login(User.objects.get(username="zhangwei2026"))
    field = factories.industry_field()
    response = client.post(reverse("applications:start"), {"name": "镇江智能电气创新联合体", "industry_field": field.pk})
    consortium = Consortium.objects.get(lead_unit=unit)
    assert response["Location"] == reverse("applications:detail", args=[consortium.pk])
    assert consortium.status == Status.DRAFT
    assert list(consortium.memberships.values_list("unit_name", "role")) == [("镇江示例科技有限公司", "lead")]


def test_a_rejected_registration_cannot_start_an_application_and_sees_why(client):
    register(client)
    registration = Registration.objects.get(credit_code="91350100M000100Y43")
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    client.post(reverse("applications:registration_decide", args=[registration.pk]), {"decision": "reject", "reason": "非本辖区注册企业"})
    client.force_login(User.objects.get(username="zhangwei2026"))
    assert "单位注册未通过。审核意见：非本辖区注册企业" in client.get(reverse("dashboards:applicant")).content.decode()
    field = factories.industry_field()
    response = client.post(reverse("applications:start"), {"name": "某创新联合体", "industry_field": field.pk})
    assert response.status_code == 200
    assert "暂不能新建申请：您的单位注册尚未通过审核，暂不能牵头申报。" in response.content.decode()
    assert not Consortium.objects.exists()
    assert not Unit.objects.exists()


def test_a_rejected_registration_corrected_goes_back_to_the_district(client):
    register(client)
    registration = Registration.objects.get()
    services.reject_registration(registration.pk, factories.user(Role.DISTRICT_REVIEWER), reason="地址有误")
    client.force_login(registration.applicant)
    data = {"name": "镇江示例科技有限公司", "credit_code": registration.credit_code, "bureau": registration.bureau_id,
            "legal_representative": "王五", "address": "镇江市京口区正确地址 9 号", "is_legal_person": "True"}
    assert client.post(reverse("applications:registration_resubmit"), data)["Location"] == "/"
    registration.refresh_from_db()
    assert (registration.status, registration.address) == (RegistrationStatus.PENDING, "镇江市京口区正确地址 9 号")


def test_rejecting_without_a_reason_is_refused(client):
    register(client)
    registration = Registration.objects.get()
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    response = client.post(reverse("applications:registration_decide", args=[registration.pk]), {"decision": "reject"}, follow=True)
    assert "不予通过须填写理由。" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_another_districts_reviewer_cannot_decide(client):
    register(client)
    registration = Registration.objects.get()
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    response = client.post(reverse("applications:registration_decide", args=[registration.pk]), {"decision": "approve"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91350100M000100Y44", "统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"),
        ("credit_code", "9135", "统一社会信用代码应为 18 位，当前为 4 位。"),
        ("phone", "12345", "请填写 11 位手机号或带区号的固定电话，如 0511-85000000。"),
        ("email", "not-an-email", "电子邮箱格式不正确。"),
        ("bureau", "", "请选择单位注册地所在辖市区。"),
        ("password2", "Other#Pass2026", "两次输入的密码不一致。"),
    ],
)
def test_bad_registration_input_is_explained_beside_the_field_and_kept(client, field, value, message):
    response = register(client, **{field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    page = response.content.decode()
    assert 'value="镇江示例科技有限公司"' in page  # what was typed stays
    assert not Registration.objects.exists()


def test_a_credit_code_waiting_for_review_or_registered_registers_once(client):
    register(client)
    client.logout()
    response = register(client, username="another01", email="b@example.com")
    assert response.context["form"].errors["credit_code"] == [services.CODE_PENDING]
    services.approve_registration(Registration.objects.get().pk, factories.user(Role.DISTRICT_REVIEWER))
    response = register(client, username="another02", email="c@example.com")
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已注册，请直接登录或联系本单位管理员。"]


def test_a_double_submitted_registration_is_explained_not_a_server_error(client):
    """The second of two identical posts (a double click) loses the race to the first."""
    data = {"unit_data": {"name": "甲", "credit_code": "91350100M000100Y43", "bureau": factories.district(),
                          "legal_representative": "张", "address": "镇江"},
            "user_data": {"username": "double01", "full_name": "张", "phone": "13800000000", "email": "d@example.com"},
            "password": "Xy#pass2026q"}
    services.register_unit(**data)
    with pytest.raises(services.ValidationError) as refused:
        services.register_unit(**{**data, "user_data": {**data["user_data"], "username": "double02"}})
    assert refused.value.message_dict == {"credit_code": [services.CODE_PENDING]}
    assert Registration.objects.count() == 1 and User.objects.filter(username__startswith="double").count() == 1


def test_a_registration_with_a_listed_members_code_does_not_touch_its_consortia(client):
    """An anonymous registration claiming a code that a filed consortium lists changes nothing until approved."""
    cast = cast_at(Status.FILED)
    university = cast.consortium.memberships.get(unit_kind="university")
    code = university.unit.credit_code
    register(client, credit_code=code, name="冒名咨询服务有限公司")
    university.refresh_from_db()
    university.unit.refresh_from_db()
    assert (university.unit_name, university.unit_kind) == ("江苏大学测试", "university")
    assert (university.unit.name, university.unit.registration_status) == ("江苏大学测试", RegistrationStatus.UNREGISTERED)
    # the district sees that consortia list this code: those it may see, never another district's draft (issue 19)
    elsewhere = factories.consortium(lead=factories.unit(bureau=factories.district("句容市")), name="句容某草稿联合体")
    factories.member(elsewhere, university.unit, unit_name="另一家申报的名称")
    client.force_login(cast.district)
    page = client.get(reverse("applications:registration_queue")).content.decode()
    assert "该统一社会信用代码已被 1 个创新联合体列为成员单位" in page
    assert f"{cast.consortium.name}：申报为“江苏大学测试”（高校）" in page
    assert "句容某草稿联合体" not in page and "另一家申报的名称" not in page


def test_an_approved_registration_claims_the_code_and_reviewers_see_the_difference(client):
    applicant, application = complete_application()
    member = application.consortium.memberships.filter(role="member", unit_kind="enterprise").first()
    register(client, credit_code=member.unit.credit_code, name="注册后的正式名称有限公司")
    services.approve_registration(Registration.objects.get().pk, factories.user(Role.DISTRICT_REVIEWER))
    member.refresh_from_db()
    assert member.unit_name != "注册后的正式名称有限公司"  # the declaration stays as the lead typed it
    content = services.snapshot.build(services.snapshot.load(application.pk))
    assert readiness.flags(content) == [("member", f"{member.unit_name}（{member.unit.credit_code}）",
                                        f"申报名称“{member.unit_name}”与该代码的注册名称“注册后的正式名称有限公司”不一致")]


def test_a_lead_already_leading_a_live_consortium_cannot_start_another(client):
    applicant = factories.user(Role.APPLICANT)
    existing = factories.consortium(lead=applicant.unit, name="已有联合体")
    client.force_login(applicant)
    response = client.get(reverse("applications:start"))
    assert f"{applicant.unit.name}已牵头“已有联合体”（草稿），1 家牵头单位只能牵头组建 1 个创新联合体。" in response.content.decode()
    assert existing.lead_unit == applicant.unit


def test_a_banned_unit_is_told_until_when(client):
    applicant = factories.user(Role.APPLICANT)
    UnitBan.objects.create(unit=applicant.unit, starts_on=date(2025, 1, 1), ends_on=date(2099, 1, 1), reason="连续两次评价不合格")
    client.force_login(applicant)
    page = client.get(reverse("applications:start")).content.decode()
    assert f"{applicant.unit.name}因连续两次评价不合格，2099年1月1日前不得牵头或参与创新联合体。" in page


def test_applicants_see_only_their_own_consortia(client):
    mine = factories.user(Role.APPLICANT)
    other = factories.consortium()
    client.force_login(mine)
    assert client.get(reverse("applications:detail", args=[other.pk])).status_code == 404
    own = factories.consortium(lead=mine.unit)
    assert client.get(reverse("applications:detail", args=[own.pk])).status_code == 200


def test_a_nul_character_in_a_registration_is_explained_in_chinese_and_the_rest_is_kept(client):
    response = register(client, name="镇江\x00示例")
    assert response.context["form"].errors["name"] == ["不能包含空字符（\\0），请删除后重新输入。"]
    assert 'value="zhangwei2026"' in response.content.decode()


# --- 独立法人 and where the code was issued (§三（一）1) ----------------------------------------------


def test_a_branch_cannot_register_as_a_lead_and_is_told_why(client):
    response = register(client, is_legal_person="False")
    assert response.context["form"].errors["is_legal_person"] == [
        "分公司、分支机构不具有独立法人资格，不能作为创新联合体牵头单位注册（工作方案要求牵头单位为在镇江市注册的独立法人）；"
        "请由具有独立法人资格的企业（如总公司）注册。"
    ]
    assert 'value="镇江示例科技有限公司"' in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(services.ValidationError):  # nor by calling the use case directly
        services.register_unit(unit_data={"name": "甲分公司", "credit_code": factories.credit_code(), "bureau": factories.district(),
                                          "legal_representative": "张", "address": "镇江", "is_legal_person": False},
                               user_data={"username": "branch01", "full_name": "张", "phone": "13800000000", "email": "e@example.com"},
                               password="Xy#pass2026q")


def test_the_question_must_be_answered(client):
    response = register(client, is_legal_person="")
    assert response.context["form"].errors["is_legal_person"] == ["请选择本单位是否为独立法人。"]


def test_the_answer_is_stored_and_approval_records_it_on_the_unit(client):
    register(client)
    registration = Registration.objects.get()
    assert registration.is_legal_person is True
    services.approve_registration(registration.pk, factories.user(Role.DISTRICT_REVIEWER))
    assert Unit.objects.get(credit_code=registration.credit_code).is_legal_person is True


def test_the_district_sees_the_answer_and_a_request_made_before_it_was_asked(client):
    factories.registration(name="新注册有限公司", is_legal_person=True)
    factories.registration(name="早先注册有限公司")  # is_legal_person None: registered before the question existed
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    page = client.get(reverse("applications:registration_queue")).content.decode()
    answers = re.findall(r"data-legal-person>([^<]*)<", page)
    assert answers == ["是（申报单位声明）", "注册时未询问"]


def test_a_code_issued_outside_zhenjiang_is_flagged_to_the_district_with_its_region_and_not_refused(client):
    register(client)  # 91350100…: issued in 福州 (350100)
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    page = client.get(reverse("applications:registration_queue")).content.decode()
    assert ('data-flag="region"><strong>请核实注册地：</strong>统一社会信用代码第 3–8 位为 350100（福建省（江苏省外）），'
            "不是镇江市（3211xx）发放的代码：请核实该单位是否在镇江市注册（由外地迁入的单位可能保留原代码）。") in page
    registration = Registration.objects.get()
    services.approve_registration(registration.pk, factories.user(Role.DISTRICT_REVIEWER))
    assert Registration.objects.get().status == RegistrationStatus.APPROVED


def test_a_code_issued_in_zhenjiang_is_not_flagged(client):
    factories.registration(credit_code=factories.credit_code("913211"))
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    assert 'data-flag="region"' not in client.get(reverse("applications:registration_queue")).content.decode()
