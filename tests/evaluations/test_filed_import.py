"""Consortia filed before the portal (issue 21.5): the dry run names every bad row in Chinese and imports nothing;
a good workbook is imported in one transaction, audited, marked 历史导入 with its SHA-256, and the 备案编号 sequence
continues after the highest imported number of each year."""

import hashlib
import io
import tempfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.roles import Role
from applications.choices import Status
from applications.models import Consortium
from evaluations import audit_actions as evaluations_actions
from evaluations.legacy import checks, services
from evaluations.legacy import workbook as layout
from evaluations.models import AnnualReport, Evaluation, FiledImport, SupportRecord
from reviews.models import DocumentKind, DocumentNumberSequence
from reviews.services import next_document_number
from tests import factories
from tests.evaluations.filed_workbooks import code, xlsx
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db

LAST = timezone.localdate().year - 1


def one_consortium(number="镇创联备〔2024〕007号", filed_on="2024-03-01", lead=None, members=4):
    lead = lead or code()
    rows = [{"record_number": number, "name": f"成员单位{i}", "credit_code": code(), "kind": "高校" if i == 0 else "企业"}
            for i in range(members)]
    return {
        "consortia": [{"record_number": number, "filed_on": filed_on, "name": "镇江历史创新联合体", "industry_field": "智能电气",
                       "lead_name": "江苏历史牵头股份有限公司", "lead_code": lead, "district": "京口区", "chief_scientist": "王五"}],
        "members": rows,
        "reports": [{"record_number": number, "year": 2024, "submitted_on": "2024-12-20"}],
        "grades": [{"record_number": number, "year": 2024, "grade": "合格", "basis": "专家评分", "decided_on": "2025-03-01"}],
        "support": [{"record_number": number, "year": 2024, "kind": "市级重点项目", "level": "市级", "amount": 150,
                     "granting_body": "镇江市科学技术局"}],
    }


def test_the_template_has_each_sheets_headings_and_an_example_row_that_passes(client):
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    response = client.get(reverse("evaluations:filed_import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["创新联合体", "成员单位", "年度报告", "绩效评价", "支持记录", "说明"]
    for sheet in layout.SHEETS:
        rows = list(book[sheet.name].iter_rows(values_only=True))
        assert list(rows[0]) == sheet.headings() and len(rows) == 2
    plan = checks.check(response.content)
    assert plan.errors == [] and len(plan.consortia) == 1
    # its only warning: one member where the plan asks 4
    assert [f.message for f in plan.warnings] == ["“镇江智能电网装备（智能电气）创新联合体”列出成员单位 1 家，少于《工作方案》原则上的 4 家。"]


def test_ten_kinds_of_bad_rows_are_each_reported_and_nothing_is_imported(client):
    taken = cast_at(Status.FILED).consortium
    good = one_consortium()
    bad = {
        "consortia": good["consortia"] + [
            {**good["consortia"][0], "lead_code": code()},  # 1 the same record number again
            {**good["consortia"][0], "record_number": "镇江备2024-8", "lead_code": code()},  # 2 format
            {**good["consortia"][0], "record_number": taken.record_number, "lead_code": code()},  # 3 taken in the portal
            {**good["consortia"][0], "record_number": "镇创联备〔2024〕009号", "filed_on": "2024-13-40", "lead_code": code()},  # 4 date
            {**good["consortia"][0], "record_number": "镇创联备〔2024〕010号", "industry_field": "元宇宙", "lead_code": code()},  # 5 field
        ],
        "members": good["members"] + [
            {"record_number": "镇创联备〔2024〕007号", "name": "错码单位", "credit_code": "91321100MA1P2Q3R4B", "kind": "企业"},  # 6
            {"record_number": "镇创联备〔2099〕001号", "name": "无主单位", "credit_code": code(), "kind": "企业"},  # 7 unknown consortium
        ],
        "reports": good["reports"] + [
            {"record_number": "镇创联备〔2024〕007号", "year": 2025, "submitted_on": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()},  # 8 future
        ],
        "grades": good["grades"] + [
            {"record_number": "镇创联备〔2024〕007号", "year": 2025, "grade": "良好", "basis": "专家评分", "decided_on": "2026-01-10"},  # 9 grade
        ],
        "support": good["support"] + [
            {"record_number": "镇创联备〔2024〕007号", "year": 2024, "kind": "市级重点项目", "level": "国家级", "amount": 150,
             "granting_body": "科学技术部"},  # 10 kind and level
            {"record_number": "镇创联备〔2024〕007号", "year": 2024, "kind": "揭榜挂帅", "level": "市级", "amount": 120,
             "granting_body": "镇江市科学技术局"},  # 11 over the cap
        ],
    }
    before = Consortium.objects.count()
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    content = xlsx(**bad)
    response = client.post(reverse("evaluations:filed_import"), {"workbook": _upload(content)}, follow=True)
    assert response.status_code == 200
    found = [(f["sheet"], f["row"], f["message"]) for f in response.context["findings"] if f["severity"] == "错误"]
    today = timezone.localdate()
    assert found == [
        ("创新联合体", 3, "备案编号“镇创联备〔2024〕007号”与本表第 2 行重复。"),
        ("创新联合体", 4, "备案编号“镇江备2024-8”格式不对，应为 镇创联备〔年份〕序号号，如 镇创联备〔2023〕001号。"),
        ("创新联合体", 5, f"备案编号“{taken.record_number}”已被门户中的创新联合体使用。"),
        ("创新联合体", 6, "“备案日期”“2024-13-40”不是有效日期，请写作 2024-05-01。"),
        ("创新联合体", 7, "产业领域“元宇宙”不在产业领域名录中（智能电气、航空航天、海工装备和船舶、高性能材料、新能源、新能源汽车及零部件、生物医药、医疗器械、数字经济）。"),
        ("成员单位", 6, "统一社会信用代码“91321100MA1P2Q3R4B”：统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"),
        ("成员单位", 7, "备案编号“镇创联备〔2099〕001号”不在“创新联合体”工作表中（或该行有错误）。"),
        ("年度报告", 3, f"“报送日期”{today.replace(year=today.year + 1).isoformat()} 晚于今天。"),
        ("绩效评价", 3, "“评价结果”“良好”不是可选值（优秀、合格、不合格）。"),
        ("支持记录", 3, "市级重点项目的级别只能是市级。"),
        ("支持记录", 4, "揭榜挂帅经费支持最高 100 万元，当前填写 120.00 万元。"),
    ]
    page = response.content.decode()
    assert 'data-result="refused"' in page and "确认导入" not in page
    batch = FiledImport.objects.get()
    assert batch.sha256 == hashlib.sha256(content).hexdigest() and batch.status == "checked"
    # confirming anyway imports nothing
    client.post(reverse("evaluations:filed_import_batch", args=[batch.pk]))
    assert Consortium.objects.count() == before
    assert not SupportRecord.objects.filter(consortium__record_number="镇创联备〔2024〕007号").exists()
    with pytest.raises(ValidationError):
        services.confirm(batch.pk, admin)
    assert AuditEvent.objects.filter(action=evaluations_actions.FILED_IMPORTED).count() == 0
    with pytest.raises(CommandError):
        call_command("import_filed", _write(content), stdout=io.StringIO())
    assert Consortium.objects.count() == before


def _upload(content, name="历史备案.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _write(content):
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.write(content)
    handle.close()
    return handle.name


def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(client):
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    response = client.post(reverse("evaluations:filed_import"), {"workbook": _upload(b"name,code\n", "名单.csv")})
    assert response.context["form"].errors == {"workbook": ["请上传 .xlsx 格式的 Excel 工作簿（可先下载模板填写）。"]}
    response = client.post(reverse("evaluations:filed_import"), {"workbook": _upload(b"not a zip at all", "名单.xlsx")})
    assert response.context["form"].errors == {"workbook": ["该文件不是 .xlsx 格式的 Excel 工作簿（可先下载模板填写）。"]}
    assert not FiledImport.objects.exists()


def test_a_good_workbook_is_checked_then_imported_once_audited_and_marked(client):
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    content = xlsx(**one_consortium())
    response = client.post(reverse("evaluations:filed_import"), {"workbook": _upload(content)}, follow=True)
    assert 'data-result="ready"' in response.content.decode() and not Consortium.objects.filter(record_number="镇创联备〔2024〕007号").exists()
    batch = FiledImport.objects.get()
    response = client.post(reverse("evaluations:filed_import_batch", args=[batch.pk]), follow=True)
    assert "已导入 1 个创新联合体。" in response.content.decode()
    consortium = Consortium.objects.get(record_number="镇创联备〔2024〕007号")
    assert (consortium.status, consortium.filed_on, consortium.lead_unit.bureau.district) == (Status.FILED, date(2024, 3, 1), "京口区")
    assert consortium.memberships.count() == 5
    report = AnnualReport.objects.get(consortium=consortium)
    assert (report.year, timezone.localdate(report.submitted_at), len(report.sha256)) == (2024, date(2024, 12, 20), 64)
    evaluation = Evaluation.objects.get(consortium=consortium)
    assert (evaluation.year, evaluation.grade, evaluation.basis, evaluation.report) == (2024, "qualified", "experts", report)
    assert SupportRecord.objects.get(consortium=consortium).amount == Decimal("150.00")
    event = AuditEvent.objects.get(action=evaluations_actions.FILED_IMPORTED)
    assert event.actor == admin and f"SHA-256 {batch.sha256}" in event.detail and "镇创联备〔2024〕007号 镇江历史创新联合体" in event.detail
    # marked on its page, for the city
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    page = client.get(reverse("evaluations:consortium", args=[consortium.pk])).content.decode()
    assert "历史导入" in page and batch.sha256 in page
    report_page = client.get(reverse("evaluations:report", args=[consortium.pk, 2024]))
    assert report_page.status_code == 200 and "历史导入（纸质报送）" in report_page.content.decode()
    # its grade's notice was issued on paper: none is offered or printed here
    notice = reverse("evaluations:grading_notice", args=[consortium.pk, evaluation.pk])
    assert notice not in page
    refused = client.get(notice, follow=True)
    assert refused.redirect_chain == [(reverse("evaluations:consortium", args=[consortium.pk]), 302)]
    assert "该评价结果为历史导入，结果通知以纸质文件为准，本平台没有出具。" in refused.content.decode()
    filing = client.get(reverse("reviews:filing_notice", args=[consortium.pk]), follow=True)
    assert filing.redirect_chain == [(reverse("applications:detail", args=[consortium.pk]), 302)]
    assert "该创新联合体为历史导入，备案通知书以纸质文件为准，本平台没有出具。" in filing.content.decode()
    # the same file again: refused
    again, plan = services.dry_run(content, "历史备案.xlsx", admin)
    assert plan.errors[0].message == f"该文件（SHA-256 {batch.sha256[:16]}…）已导入过，不能重复导入。"


def test_numbering_continues_after_the_highest_imported_number_of_each_year():
    admin = factories.user(Role.SYSTEM_ADMIN)
    first = one_consortium("镇创联备〔2024〕007号")
    second = one_consortium("镇创联备〔2024〕003号", filed_on="2024-02-01")
    third = one_consortium("镇创联备〔2025〕012号", filed_on="2025-05-01")
    third["reports"], third["grades"] = [], []
    third["support"][0]["year"] = 2025
    content = xlsx(**{key: first[key] + second[key] + third[key] for key in first})
    batch, plan, consortia = services.import_file(content, "三个.xlsx", admin)
    assert plan.errors == [] and len(consortia) == 3
    with transaction.atomic():
        assert next_document_number(DocumentKind.FILING, 2024) == "镇创联备〔2024〕008号"
        assert next_document_number(DocumentKind.FILING, 2025) == "镇创联备〔2025〕013号"
    assert DocumentNumberSequence.objects.get(kind=DocumentKind.FILING, year=2024).last == 8


def test_warnings_are_shown_not_refused():
    data = one_consortium(members=2)
    data["grades"] = [
        {"record_number": "镇创联备〔2024〕007号", "year": 2024, "grade": "不合格", "basis": "第三方评价报告", "institution": "江苏省科技评估中心",
         "decided_on": "2025-03-01"},
        {"record_number": "镇创联备〔2024〕007号", "year": 2025, "grade": "不合格", "basis": "专家评分", "decided_on": "2026-03-01"}]
    data["reports"][0]["submitted_on"] = "2025-01-05"
    plan = checks.check(xlsx(**data))
    assert plan.errors == []
    assert [(f.sheet, f.row, f.message) for f in plan.warnings] == [
        ("创新联合体", 2, "“镇江历史创新联合体”列出成员单位 2 家，少于《工作方案》原则上的 4 家。"),
        ("创新联合体", 2, "“镇江历史创新联合体”2024、2025 年度连续 2 次评价为“不合格”，导入后应由市科技局作出取消资格决定。"),
        ("创新联合体", 2, "“镇江历史创新联合体”2025 年度有评价而无年度报告，按“逾期未报送”列示。"),
        ("年度报告", 2, "2024 年度报告于 2025-01-05 报送，晚于 2024-12-31（逾期报送）。"),
    ]


def test_only_the_system_admin_imports():
    with pytest.raises(PermissionDenied):
        services.dry_run(xlsx(**one_consortium()), "x.xlsx", factories.user(Role.MUNICIPAL_STAFF))
