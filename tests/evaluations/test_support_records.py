"""Support records (issue 21.4, §五): every kind the plan names, its level bound where the plan binds it, the caps,
who records what (the city any kind, a district bureau its own 市区资助), and a project's own funding kept in step."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from evaluations import audit_actions as evaluations_actions
from evaluations.choices import ALL_LEVELS, SUPPORT_KIND_LEVELS, SupportKind
from evaluations.models import SupportRecord
from evaluations.support import services as support_services
from tests import factories
from tests.evaluations.helpers import filed

pytestmark = pytest.mark.django_db

PAIRS = [(kind.value, level.value) for kind in SupportKind for level in ALL_LEVELS]
VALID = {(kind.value, level.value) for kind, levels in SUPPORT_KIND_LEVELS.items() for level in levels}


def data(kind="innovation_voucher", level="municipal", **fields):
    return {"kind": kind, "level": level, "amount": Decimal("20.00"), "year": timezone.localdate().year,
            "granting_body": "镇江市科学技术局", "unit": None, "project": None, "note": "", **fields}


def post(**fields):
    body = {"kind_level": "innovation_voucher/municipal", "amount": "20.00", "year": str(timezone.localdate().year),
            "granting_body": "镇江市科学技术局", "unit": "", "project": "", "note": ""}
    body.update(fields)
    return body


def test_the_binding_as_the_plan_says_it():
    assert len(PAIRS) == 32 and len(VALID) == 17
    assert {level for kind, level in VALID if kind == "district_funding"} == {"district"}
    assert {level for kind, level in VALID if kind in ("key_project", "open_competition")} == {"municipal"}
    assert {level for kind, level in VALID if kind == "provincial_plan"} == {"provincial", "national"}
    assert {level for kind, level in VALID if kind in ("innovation_voucher", "instrument_sharing")} == {"provincial", "municipal"}


@pytest.mark.parametrize("kind, level", PAIRS)
def test_every_kind_and_level_each_way_in_the_service_and_the_database(kind, level):
    cast = filed()
    if (kind, level) in VALID:
        record = support_services.record_support(cast.consortium.pk, cast.city, data(kind, level))
        assert (record.kind, record.level) == (kind, level)
        return
    with pytest.raises(ValidationError) as refused:
        support_services.record_support(cast.consortium.pk, cast.city, data(kind, level))
    assert list(refused.value.message_dict) == ["kind_level"]
    assert refused.value.message_dict["kind_level"][0].endswith("。") and "的级别只能是" in refused.value.message_dict["kind_level"][0]
    record = support_services.record_support(cast.consortium.pk, cast.city, data("other", "municipal"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRecord.objects.filter(pk=record.pk).update(kind=kind, level=level)


@pytest.mark.parametrize("kind, cap", [("key_project", 200), ("open_competition", 100)])
def test_the_caps_hold_for_records_too(client, kind, cap):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:support_new", args=[cast.consortium.pk])
    over = client.post(url, post(kind_level=f"{kind}/municipal", amount=f"{cap}.01"))
    assert over.status_code == 200
    assert over.context["form"].errors == {"amount": [f"{'市科技计划“项目+课题”重点项目' if kind == 'key_project' else '揭榜挂帅'}经费支持最高 {cap} 万元，当前填写 {cap}.01 万元。"]}
    assert not SupportRecord.objects.exists()
    assert client.post(url, post(kind_level=f"{kind}/municipal", amount=f"{cap}.00")).status_code == 302
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRecord.objects.update(amount=Decimal(f"{cap}.01"))


def test_the_city_records_a_voucher_for_a_member_unit_and_the_page_shows_it(client):
    cast = filed()
    member = cast.consortium.memberships.exclude(unit=cast.consortium.lead_unit).select_related("unit").first()
    client.force_login(cast.city)
    response = client.post(reverse("evaluations:support_new", args=[cast.consortium.pk]),
                           post(kind_level="innovation_voucher/provincial", amount="12.50", granting_body="江苏省科学技术厅",
                                unit=str(member.unit_id), note="大型仪器共享使用"))
    assert response.status_code == 302
    record = SupportRecord.objects.get()
    assert (record.kind, record.level, record.amount, record.unit_id) == ("innovation_voucher", "provincial", Decimal("12.50"), member.unit_id)
    event = AuditEvent.objects.get(action=evaluations_actions.SUPPORT_RECORDED)
    assert event.detail == f"{timezone.localdate().year} 年 创新券（省/市）（省级）12.50 万元，江苏省科学技术厅，{member.unit.name}"
    client.force_login(cast.applicant)
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "创新券（省/市）" in page and "12.50" in page and "合计 12.50 万元" in page and ">登记支持</a>" not in page
    assert client.get(reverse("evaluations:support_new", args=[cast.consortium.pk])).status_code == 403


def test_a_unit_that_is_not_a_member_is_refused():
    cast = filed()
    stranger = factories.unit()
    with pytest.raises(ValidationError) as refused:
        support_services.record_support(cast.consortium.pk, cast.city, data(unit=stranger))
    assert refused.value.message_dict == {"unit": ["受支持单位须是该创新联合体的牵头或成员单位。"]}


def test_a_year_out_of_range_is_refused_beside_the_field_and_nothing_typed_is_lost(client):
    cast = filed()
    client.force_login(cast.city)
    next_year = timezone.localdate().year + 1
    response = client.post(reverse("evaluations:support_new", args=[cast.consortium.pk]), post(year=str(next_year), note="明年的"))
    assert response.context["form"].errors == {"year": [f"请填写 2000 年至 {next_year - 1} 年之间的年度。"]}
    assert 'value="明年的"' in response.content.decode() and f'value="{next_year}"' in response.content.decode()
    assert not SupportRecord.objects.exists()


def test_a_district_records_its_own_funding_only_and_only_in_its_district(client):
    cast = filed()
    client.force_login(cast.district)
    url = reverse("evaluations:support_new", args=[cast.consortium.pk])
    form_page = client.get(url)
    offered = [value for group, options in form_page.context["form"].fields["kind_level"].choices[1:] for value, _ in options]
    assert offered == ["district_funding/district"]
    assert form_page.context["form"]["granting_body"].value() == cast.district.bureau.name
    # a kind of the city's, posted anyway: refused beside the field
    refused = client.post(url, post(kind_level="innovation_voucher/municipal"))
    assert refused.context["form"].errors == {"kind_level": ["该类别与级别的组合不符合《工作方案》五的规定，请重新选择。"]}
    with pytest.raises(PermissionDenied) as denied:
        support_services.record_support(cast.consortium.pk, cast.district, data())
    assert str(denied.value) == "辖市区科技局只能登记本辖区给予的“市区资助”，其他类别由市科技局登记。"
    assert client.post(url, post(kind_level="district_funding/district", amount="50.00",
                                 granting_body=cast.district.bureau.name)).status_code == 302
    record = SupportRecord.objects.get()
    assert (record.kind, record.level, record.recorded_by) == ("district_funding", "district", cast.district)
    # and changes it
    edit = reverse("evaluations:support_edit", args=[cast.consortium.pk, record.pk])
    assert client.post(edit, post(kind_level="district_funding/district", amount="60.00", granting_body=cast.district.bureau.name)).status_code == 302
    record.refresh_from_db()
    assert record.amount == Decimal("60.00")
    # another district sees nothing of it
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市" if cast.district.bureau.district != "丹阳市" else "京口区"))
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(edit).status_code == 404
    with pytest.raises(PermissionDenied):
        support_services.record_support(cast.consortium.pk, other, data("district_funding", "district"))


def test_a_city_record_is_not_the_districts_to_change(client):
    cast = filed()
    record = support_services.record_support(cast.consortium.pk, cast.city, data())
    client.force_login(cast.district)
    assert client.get(reverse("evaluations:support_edit", args=[cast.consortium.pk, record.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        support_services.change_support(record.pk, cast.district, data("district_funding", "district"))


def test_a_projects_funding_is_a_record_in_step_with_the_project():
    cast = filed()
    today = timezone.localdate()
    project = support_services.record_project(cast.consortium.pk, cast.city, {
        "name": "省重点研发计划", "kind": "provincial_plan", "level": "provincial", "amount": Decimal("300.00"),
        "starts_on": today, "ends_on": today, "status": "ongoing"})
    record = SupportRecord.objects.get()
    assert (record.kind, record.level, record.amount, record.year, record.granting_body, record.project, record.from_project) == (
        "provincial_plan", "provincial", Decimal("300.00"), today.year, "江苏省科学技术厅", project, True)
    support_services.change_project(project.pk, cast.city, {
        "name": "国家重点研发计划", "kind": "provincial_plan", "level": "national", "amount": Decimal("500.00"),
        "starts_on": today, "ends_on": today, "status": "ongoing"})
    record = SupportRecord.objects.get()
    assert (record.level, record.amount, record.granting_body) == ("national", Decimal("500.00"), "科学技术部")
    # it is changed with the project, never on its own
    with pytest.raises(PermissionDenied):
        support_services.change_support(record.pk, cast.city, data())
