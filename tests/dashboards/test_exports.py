import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accounts import audit_actions as accounts_actions
from accounts.models import AuditEvent
from accounts.roles import Role
from applications.choices import Status
from applications.models import Consortium, Membership
from tests import factories
from tests.dashboards import bulk

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def listed_names(client, url, query):
    """Every consortium name of a list, page after page, in the list's order."""
    found, number = [], 1
    while True:
        page = client.get(url, {**query, "page": number}).context["page"]
        found += [row["name"] for row in page.object_list]
        if not page.has_next():
            return found
        number += 1


def test_the_export_holds_the_filtered_list_row_for_row_in_its_order(client):
    bulk.consortia(70, status=Status.FILED, name="甲联合体")
    bulk.consortia(5, status=Status.SUBMITTED, name="乙联合体")
    bulk.consortia(4, status=Status.FILED, district="丹阳市", name="丙联合体")
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    query = {"status": "filed", "q": "联合体", "sort": "-name"}
    listed = listed_names(client, reverse("dashboards:consortia"), query)
    sheet = workbook(client.get(reverse("dashboards:consortia_export"), query))["创新联合体名单"]
    rows = rows_of(sheet)
    assert rows[0] == ["创新联合体名称", "备案编号", "牵头单位", "统一社会信用代码", "所在辖区", "产业领域", "产业集群",
                       "首席科学家", "状态", "备案日期", "更新时间"]
    assert [row[0] for row in rows[1:]] == listed
    assert len(listed) == 74
    assert {row[8] for row in rows[1:]} == {"已备案"}


def test_cells_keep_their_types_the_header_is_frozen_and_columns_fit(client):
    made = bulk.consortia(1, status=Status.FILED, members=bulk.units(1, district="扬中市", registered=False))[0]
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    book = workbook(client.get(reverse("dashboards:members_export")))
    sheet = book["成员单位名单"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N3"
    headings = [cell.value for cell in sheet[1]]
    lead = [cell for cell in sheet[2]]
    money = lead[headings.index("近一年销售收入（万元）")]
    assert (money.value, money.number_format) == (1234.5, "#,##0.00")
    assert lead[headings.index("近一年研发投入（万元）")].value == 100.25
    filed = book["成员单位名单"]
    consortia = load_workbook(io.BytesIO(b"".join(client.get(reverse("dashboards:consortia_export")).streaming_content)))
    filed_on = consortia["创新联合体名单"]["J2"]
    assert (filed_on.value.date(), filed_on.number_format) == (made.filed_on, "yyyy-mm-dd")
    assert consortia["创新联合体名单"]["K2"].number_format == "yyyy-mm-dd hh:mm"
    width = filed.column_dimensions["A"].width
    assert 2 * len("创新联合体名称") <= width <= 60
    code_column = get_column_letter(headings.index("统一社会信用代码") + 1)
    assert filed.column_dimensions[code_column].width == 22  # 18 characters, capitals among them, and a margin
    assert [row[0] for row in book["说明"].iter_rows(values_only=True)] == ["名单", "导出人", "导出时间", "筛选条件", "行数"]


def test_the_members_export_has_one_row_per_consortium_and_member_with_code_kind_and_district(client):
    university = bulk.units(1, kind="university", district=None, registered=False)[0]
    enterprise = bulk.units(1, district="句容市", registered=False)[0]
    made = bulk.consortia(2, status=Status.FILED, members=[university, enterprise])
    Membership.objects.create(consortium=made[0], unit=bulk.units(1, registered=False)[0], unit_name="已退出单位",
                              position=9, left_on=date(2020, 1, 1))
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    rows = rows_of(workbook(client.get(reverse("dashboards:members_export")))["成员单位名单"])
    headings = rows[0]
    picked = sorted(
        (row[headings.index("创新联合体名称")], row[headings.index("角色")], row[headings.index("统一社会信用代码")],
         row[headings.index("单位类型")], row[headings.index("所在辖区")])
        for row in rows[1:]
    )
    expected = []
    for consortium in made:
        expected += [
            (consortium.name, "牵头单位", consortium.lead_unit.credit_code, "企业", "京口区"),
            (consortium.name, "成员单位", university.credit_code, "高校", None),
            (consortium.name, "成员单位", enterprise.credit_code, "企业", "句容市"),
        ]
    assert picked == sorted(expected, key=lambda row: tuple("" if v is None else v for v in row))
    # Founding members joined on the day of 备案; one that joined by a member change, on its own date.
    Membership.objects.filter(consortium=made[1], unit=enterprise).update(joined_on=date(2026, 7, 1))
    rows = rows_of(workbook(client.get(reverse("dashboards:members_export")))["成员单位名单"])
    joined = {(row[headings.index("创新联合体名称")], row[headings.index("统一社会信用代码")]): row[headings.index("加入日期")].date()
              for row in rows[1:]}
    assert joined[(made[0].name, enterprise.credit_code)] == made[0].filed_on
    assert joined[(made[1].name, enterprise.credit_code)] == date(2026, 7, 1)


def test_a_districts_export_holds_only_its_district(client):
    mine = bulk.consortia(3, status=Status.SUBMITTED, name="京口")
    bulk.consortia(4, status=Status.SUBMITTED, district="丹阳市", name="丹阳")
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("京口区")))
    response = client.get(reverse("dashboards:consortia_export"), {"district": factories.district("丹阳市").pk})
    book = workbook(response)
    sheet = book.worksheets[0]
    assert sheet.title == "创新联合体名单（京口区科学技术局）"
    assert sorted(row[0] for row in rows_of(sheet)[1:]) == sorted(c.name for c in mine)
    assert {row[4] for row in rows_of(sheet)[1:]} == {"京口区"}
    members = rows_of(workbook(client.get(reverse("dashboards:members_export"))).worksheets[0])
    assert sorted({row[0] for row in members[1:]}) == sorted(c.name for c in mine)


def test_text_that_would_run_as_a_formula_is_written_as_text(client):
    factories.consortium(name='=HYPERLINK("http://evil.example","点击")', status=Status.SUBMITTED)
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    sheet = workbook(client.get(reverse("dashboards:consortia_export"))).worksheets[0]
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://evil.example","点击")', "s")


def test_every_export_is_in_the_audit_log_with_its_filters_and_row_count(client):
    bulk.consortia(3, status=Status.FILED)
    bulk.consortia(2, status=Status.SUBMITTED)
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    client.get(reverse("dashboards:consortia_export"), {"status": "filed", "sort": "name", "filed_from": "2026-13-01"})
    event = AuditEvent.objects.get(action=accounts_actions.EXPORT)
    assert event.target == "创新联合体名单（Excel）"
    assert event.detail == "筛选条件：状态 已备案；排序 创新联合体名称 ↑；共 3 行"


def test_the_audit_log_exports_to_excel_too(client):
    AuditEvent.objects.create(action=accounts_actions.LOGIN_FAILED, username="=cmd", ip="10.0.0.1", created_at=timezone.now())
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    rows = rows_of(workbook(client.get(reverse("accounts:audit_log_xlsx"), {"action": "login_failed"}))["审计日志"])
    assert rows[0] == ["时间", "用户名", "角色", "事件", "结果", "IP 地址", "对象", "详情"]
    assert rows[1][1:6] == ["'=cmd", None, "登录失败", "成功", "10.0.0.1"]
    assert AuditEvent.objects.filter(action=accounts_actions.EXPORT, target="审计日志（Excel）").count() == 1


def test_an_export_of_many_rows_is_complete(client):
    bulk.consortia(2100, status=Status.FILED)
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    rows = rows_of(workbook(client.get(reverse("dashboards:consortia_export"))).worksheets[0])
    assert len(rows) == 1 + Consortium.objects.count() == 2101
    assert len({row[1] for row in rows[1:]}) == 2100  # each its own record number


def test_a_bureau_name_excel_refuses_in_a_sheet_name_still_exports(client):
    bureau = factories.district("京口区")
    bureau.name = "京口区科学技术局/创新科[试点]"
    bureau.save()
    mine = bulk.consortia(1, status=Status.SUBMITTED)[0]
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=bureau))
    sheet = workbook(client.get(reverse("dashboards:consortia_export"))).worksheets[0]
    assert sheet.title == "创新联合体名单（京口区科学技术局创新科试点）"
    assert sheet["A2"].value == mine.name


def test_an_export_is_streamed_and_audited_before_its_first_byte(client):
    bulk.consortia(3, status=Status.FILED, name="甲联合体")
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    before = AuditEvent.objects.filter(action=accounts_actions.EXPORT).count()
    response = client.get(reverse("dashboards:consortia_export"))
    assert response.streaming  # not built in memory first
    assert AuditEvent.objects.filter(action=accounts_actions.EXPORT).count() == before + 1
    event = AuditEvent.objects.filter(action=accounts_actions.EXPORT).latest("id")
    assert event.detail.endswith("共 3 行")
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    names = [row[0] for row in rows_of(workbook(response)["创新联合体名单"])][1:]
    assert (len(names), all(name.startswith("甲联合体") for name in names)) == (3, True)
