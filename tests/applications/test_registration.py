import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from applications.choices import RegistrationStatus, Status
from applications.models import Consortium, Unit
from tests import factories
from tests.accounts.test_security import registration_data

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    return client.post(reverse("applications:register"), registration_data(**overrides))


def test_registration_then_district_approval_lets_the_applicant_start_an_application(client):
    response = register(client, credit_code="９１３５０１００ｍ０００１００ｙ４３")
    assert response.status_code == 302
    unit = Unit.objects.get(credit_code="91350100M000100Y43")
    assert unit.registration_status == RegistrationStatus.PENDING
    page = client.get(reverse("dashboards:applicant")).content.decode()
    assert "单位注册正在等待 京口区科学技术局 审核" in page
    start = client.get(reverse("applications:start")).content.decode()
    assert "暂不能新建申请：单位注册尚未通过所在辖市区科技部门审核，暂不能牵头申报。" in start

    reviewer = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(reviewer)
    assert unit.name in client.get(reverse("applications:registration_queue")).content.decode()
    client.post(reverse("applications:registration_decide", args=[unit.pk]), {"decision": "approve"})
    unit.refresh_from_db()
    assert unit.registration_status == RegistrationStatus.APPROVED

    client.force_login(User.objects.get(username="zhangwei2026"))
    field = factories.industry_field()
    response = client.post(reverse("applications:start"), {"name": "镇江智能电气创新联合体", "industry_field": field.pk})
    consortium = Consortium.objects.get(lead_unit=unit)
    assert response["Location"] == reverse("applications:detail", args=[consortium.pk])
    assert consortium.status == Status.DRAFT
    assert list(consortium.memberships.values_list("unit__name", "role")) == [("镇江示例科技有限公司", "lead")]


def test_a_rejected_registration_cannot_start_an_application_and_sees_why(client):
    register(client)
    unit = Unit.objects.get(credit_code="91350100M000100Y43")
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    client.post(reverse("applications:registration_decide", args=[unit.pk]), {"decision": "reject", "reason": "非本辖区注册企业"})
    client.force_login(User.objects.get(username="zhangwei2026"))
    assert "非本辖区注册企业" in client.get(reverse("dashboards:applicant")).content.decode()
    field = factories.industry_field()
    response = client.post(reverse("applications:start"), {"name": "某创新联合体", "industry_field": field.pk})
    assert response.status_code == 200
    assert "暂不能新建申请：单位注册尚未通过所在辖市区科技部门审核" in response.content.decode()
    assert not Consortium.objects.exists()


def test_rejecting_without_a_reason_is_refused(client):
    register(client)
    unit = Unit.objects.get(credit_code="91350100M000100Y43")
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    response = client.post(reverse("applications:registration_decide", args=[unit.pk]), {"decision": "reject"}, follow=True)
    assert "不予通过须填写理由。" in response.content.decode()
    unit.refresh_from_db()
    assert unit.registration_status == RegistrationStatus.PENDING


def test_another_districts_reviewer_cannot_decide(client):
    register(client)
    unit = Unit.objects.get(credit_code="91350100M000100Y43")
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    response = client.post(reverse("applications:registration_decide", args=[unit.pk]), {"decision": "approve"})
    assert response.status_code == 404
    unit.refresh_from_db()
    assert unit.registration_status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91350100M000100Y44", "统一社会信用代码校验位不正确：第 18 位应为“3”，请核对前 17 位是否有误。"),
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
    assert not Unit.objects.exists()


def test_a_credit_code_registers_once(client):
    register(client)
    client.logout()
    response = register(client, username="another01", email="b@example.com")
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已注册，请直接登录或联系本单位管理员。"]


def test_a_member_unit_typed_by_a_lead_can_later_register_itself(client):
    typed = factories.research_unit(kind="enterprise", credit_code="91350100M000100Y43", name="旧名称")
    assert register(client).status_code == 302
    typed.refresh_from_db()
    assert (typed.name, typed.registration_status) == ("镇江示例科技有限公司", RegistrationStatus.PENDING)


def test_a_lead_already_leading_a_live_consortium_cannot_start_another(client):
    applicant = factories.user(Role.APPLICANT)
    existing = factories.consortium(lead=applicant.unit, name="已有联合体")
    client.force_login(applicant)
    response = client.get(reverse("applications:start"))
    assert f"{applicant.unit.name}已牵头“已有联合体”（草稿），原则上 1 家牵头单位只能牵头组建 1 个创新联合体。" in response.content.decode()
    assert existing.lead_unit == applicant.unit


def test_a_banned_unit_is_told_until_when(client):
    from datetime import date

    from applications.models import UnitBan

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
