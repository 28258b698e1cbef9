"""Support in figures (issue 21.4): the statistics page by kind, level and year, per consortium and in total, for the
city and for one district; the two lists and their audited Excel exports."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import audit_actions as accounts_actions
from accounts.models import AuditEvent
from accounts.roles import Role
from applications.choices import Status
from evaluations.models import SupportRecord
from tests import factories
from tests.dashboards import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported():
    """京口: 创新券 20 (this year), 市级重点项目 150 (last year), 京口区 资助 30.50 (last year); 丹阳: 丹阳市 资助 40."""
    cache.clear()
    year = timezone.localdate().year
    jingkou = bulk.consortia(1, name="京口支持")[0]
    danyang = bulk.consortia(1, district="丹阳市", name="丹阳支持")[0]
    SupportRecord.objects.bulk_create([
        SupportRecord(consortium=jingkou, kind="innovation_voucher", level="municipal", amount=Decimal("20.00"), year=year,
                      granting_body="镇江市科学技术局"),
        SupportRecord(consortium=jingkou, kind="key_project", level="municipal", amount=Decimal("150.00"), year=year - 1,
                      granting_body="镇江市科学技术局"),
        SupportRecord(consortium=jingkou, kind="district_funding", level="district", amount=Decimal("30.50"), year=year - 1,
                      granting_body="京口区科学技术局"),
        SupportRecord(consortium=danyang, kind="district_funding", level="district", amount=Decimal("40.00"), year=year,
                      granting_body="丹阳市科学技术局"),
    ])
    return year, jingkou, danyang


def statistics(client, user, year):
    client.force_login(user)
    return client.get(reverse("dashboards:statistics"), {"year": year}).context["report"]["support"]


def test_the_city_sees_every_kind_level_and_year_and_each_consortium(client, supported):
    year, jingkou, danyang = supported
    support = statistics(client, factories.user(Role.MUNICIPAL_STAFF), year)
    assert (support.total, support.count, support.consortium_count) == (Decimal("240.50"), 4, 2)
    by_kind = {label: rest for label, *rest in support.by_kind.rows}
    assert list(by_kind) == ["市级重点项目", "揭榜挂帅", "省级以上计划", "创新券（省/市）", "仪器共享补贴", "市区资助", "平台建设", "其他"]
    assert by_kind["市级重点项目"] == [1, Decimal("150.00"), Decimal("0")]
    assert by_kind["创新券（省/市）"] == [1, Decimal("20.00"), Decimal("20.00")]
    assert by_kind["市区资助"] == [2, Decimal("70.50"), Decimal("40.00")]
    assert by_kind["揭榜挂帅"] == [0, Decimal("0"), Decimal("0")]
    assert {label: rest for label, *rest in support.by_level.rows} == {
        "国家级": [0, Decimal("0"), Decimal("0")], "省级": [0, Decimal("0"), Decimal("0")],
        "市级": [2, Decimal("170.00"), Decimal("20.00")], "区县级": [2, Decimal("70.50"), Decimal("40.00")]}
    assert support.by_year.rows == [(f"{year - 1} 年", 2, Decimal("180.50")), (f"{year} 年", 2, Decimal("60.00"))]
    assert [(c["name"], c["support_municipal"], c["support_district"], c["support_total"]) for c in support.consortia] == [
        (jingkou.name, Decimal("170.00"), Decimal("30.50"), Decimal("200.50")), (danyang.name, Decimal("0"), Decimal("40.00"), Decimal("40.00"))]
    page = client.get(reverse("dashboards:statistics"), {"year": year}).content.decode()
    assert '<strong data-support-total>240.50</strong> 万元' in page
    assert "创新联合体获得支持金额（按类别，历年合计）" in page and "150.00 万元" in page  # the chart's own figures


def test_a_district_sees_only_its_own_consortia(client, supported):
    year, jingkou, danyang = supported
    support = statistics(client, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")), year)
    assert (support.total, support.count, support.consortium_count) == (Decimal("40.00"), 1, 1)
    assert [c["name"] for c in support.consortia] == [danyang.name]
    assert [r["consortium__name"] for r in client.get(reverse("dashboards:support-records")).context["page"].object_list] == [danyang.name]


def test_the_totals_list_adds_up_one_year_when_asked_and_its_export_is_audited(client, supported):
    year, jingkou, danyang = supported
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    rows = client.get(reverse("dashboards:support-totals")).context["page"].object_list
    assert [(r["name"], r["support_count"], r["support_total"]) for r in rows] == [
        (jingkou.name, 3, Decimal("200.50")), (danyang.name, 1, Decimal("40.00"))]
    rows = client.get(reverse("dashboards:support-totals"), {"year": year - 1}).context["page"].object_list
    assert [(r["name"], r["support_count"], r["support_total"]) for r in rows] == [(jingkou.name, 2, Decimal("180.50"))]
    response = client.get(reverse("dashboards:support-totals_export"), {"year": year})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["各创新联合体获得支持"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["创新联合体名称", "备案编号", "牵头单位", "支持记录（条）", "国家级（万元）", "省级（万元）", "市级（万元）",
                         "区县级（万元）", "合计（万元）"]
    assert [(row[0], row[3], row[8]) for row in values[1:]] == [(danyang.name, 1, 40), (jingkou.name, 1, 20)]
    assert AuditEvent.objects.filter(action=accounts_actions.EXPORT, target="各创新联合体获得支持（Excel）").count() == 1
    # a bad year is explained beside the field
    bad = client.get(reverse("dashboards:support-totals"), {"year": "1999"})
    assert bad.context["filter"].form.errors["year"] == ["请填写 2000 至 2100 之间的年份。"]


def test_the_records_list_filters_by_kind_and_exports_labels(client, supported):
    year, jingkou, danyang = supported
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    rows = client.get(reverse("dashboards:support-records"), {"kind": "district_funding"}).context["page"].object_list
    assert sorted(r["amount"] for r in rows) == [Decimal("30.50"), Decimal("40.00")]
    response = client.get(reverse("dashboards:support-records_export"), {"kind": "key_project"})
    values = [list(row) for row in load_workbook(io.BytesIO(b"".join(response.streaming_content)))["支持记录"].iter_rows(values_only=True)]
    assert values[1][:8] == [jingkou.name, jingkou.record_number, year - 1, "市级重点项目", "市级", 150, "镇江市科学技术局", None]


def test_no_support_yet_says_so(client):
    cache.clear()
    bulk.consortia(1, status=Status.FILED)
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    page = client.get(reverse("dashboards:statistics")).content.decode()
    assert "尚无支持记录。" in page and '<strong data-support-total>0.00</strong> 万元' in page
