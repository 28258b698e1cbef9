"""Issue 21.5: five consortia with three years of reports and grades, once built through the workflow (京口区) and
once written in a workbook and imported (丹阳市), give the same consortium pages, statistics and exports."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from applications.choices import Status
from evaluations.legacy import services as legacy_services
from evaluations.support import services as support_services
from tests import factories
from tests.evaluations.filed_workbooks import code, xlsx
from tests.lifecycle import cast_at, file_earlier

pytestmark = pytest.mark.django_db

LAST = timezone.localdate().year - 1
YEARS = (LAST - 2, LAST - 1, LAST)
GRADES = [("qualified", "excellent", "qualified"), ("excellent", "excellent", "excellent"), ("unqualified", "qualified", "unqualified"),
          ("qualified", "qualified", "qualified"), ("excellent", "qualified", "excellent")]
GRADE_LABELS = {"excellent": "优秀", "qualified": "合格", "unqualified": "不合格"}
KIND_LABELS = {"enterprise": "企业", "university": "高校", "institute": "科研院所", "other": "其他"}
SUPPORT = [("key_project", "municipal", "150.00", "镇江市科学技术局"), ("innovation_voucher", "provincial", "12.50", "江苏省科学技术厅"),
           ("district_funding", "district", "30.00", "区科技局")]
SUPPORT_LABELS = {"key_project": ("市级重点项目", "市级"), "innovation_voucher": ("创新券（省/市）", "省级"), "district_funding": ("市区资助", "区县级")}


def through_the_workflow():
    built = []
    for grades in GRADES:
        cast = cast_at(Status.FILED)
        file_earlier(cast.consortium, YEARS[0])
        for year, grade in zip(YEARS, grades):
            cast.take("evaluate", year=year, grade=grade)
        for kind, level, amount, body in SUPPORT:
            actor = cast.district if kind == "district_funding" else cast.city
            support_services.record_support(cast.consortium.pk, actor, {
                "kind": kind, "level": level, "amount": Decimal(amount), "year": LAST, "granting_body": body, "unit": None,
                "project": None, "note": ""})
        cast.consortium.refresh_from_db()
        built.append(cast)
    return built


def the_same_in_a_workbook(built):
    """The workbook a bureau would write of the same five (other leads, in 丹阳市; the same members)."""
    sheets = {"consortia": [], "members": [], "reports": [], "grades": [], "support": []}
    for index, cast in enumerate(built, start=1):
        consortium = cast.consortium
        number = f"镇创联备〔{consortium.filed_on.year}〕{100 + index:03d}号"
        sheets["consortia"].append({
            "record_number": number, "filed_on": consortium.filed_on, "name": f"丹阳导入创新联合体{index}",
            "industry_field": consortium.industry_field.name, "lead_name": f"丹阳导入牵头企业{index}有限公司", "lead_code": code(),
            "district": "丹阳市"})
        for m in consortium.memberships.exclude(role="lead").select_related("unit").order_by("position"):
            sheets["members"].append({"record_number": number, "name": m.unit_name, "credit_code": m.unit.credit_code,
                                      "kind": KIND_LABELS[m.unit_kind], "task_division": m.task_division,
                                      "sales_revenue": m.sales_revenue, "rd_spend": m.rd_spend})
        for report in consortium.annual_reports.order_by("year"):
            sheets["reports"].append({"record_number": number, "year": report.year,
                                      "submitted_on": timezone.localdate(report.submitted_at).isoformat()})
        for e in consortium.evaluations.order_by("year"):
            sheets["grades"].append({"record_number": number, "year": e.year, "grade": GRADE_LABELS[e.grade], "basis": "第三方评价报告",
                                     "institution": e.third_party_institution, "decided_on": timezone.localdate(e.decided_at).isoformat(),
                                     "opinion": e.opinion})
        for kind, level, amount, body in SUPPORT:
            sheets["support"].append({"record_number": number, "year": LAST, "kind": SUPPORT_LABELS[kind][0],
                                      "level": SUPPORT_LABELS[kind][1], "amount": float(amount), "granting_body": body})
    return xlsx(**sheets)


def page_facts(client, consortium):
    context = client.get(reverse("evaluations:consortium", args=[consortium.pk])).context
    return {
        "years": [(r.year, r.standing, r.evaluation.grade if r.evaluation else None) for r in context["report_years"]],
        "grades": [(e.year, e.grade, e.basis) for e in context["grades"]],
        "members": sorted((m.unit_name, m.unit_kind, m.role) for m in context["members"] if m.role != "lead"),
        "support": sorted((r.year, r.kind, r.level, r.amount) for r in context["support_records"]),
        "support_total": context["support_total"], "recommended": context["recommended"],
        "revocation_pending": context["revocation_pending"], "first_report_year": context["first_report_year"],
    }


def statistics(client, year):
    cache.clear()
    report = client.get(reverse("dashboards:statistics"), {"year": year}).context["report"]
    support = report["support"]
    return {
        "stages": report["stages"].rows, "chains": report["chains"].rows, "members_by_kind": report["members"][0].rows,
        "members_total": report["members"][1].total, "grades": report["grades"].rows, "recommended": report["recommended_count"],
        "overdue": (report["overdue"].due, report["overdue"].overdue, report["overdue"].late_now),
        "support": (support.by_kind.rows, support.by_level.rows, support.by_year.rows, support.total, support.count,
                    [tuple(c[k] for k in c if k.startswith("support_")) for c in support.consortia]),
    }


def export(client, slug, drop, **query):
    response = client.get(reverse(f"dashboards:{slug}_export"), query)
    rows = [list(row) for row in load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].iter_rows(values_only=True)]
    keep = [i for i, heading in enumerate(rows[0]) if heading not in drop]
    return sorted(tuple(str(row[i]) for i in keep) for row in rows[1:])


def test_imported_consortia_read_as_the_workflow_built_ones():
    built = through_the_workflow()
    admin = factories.user(Role.SYSTEM_ADMIN)
    batch, plan, imported = legacy_services.import_file(the_same_in_a_workbook(built), "五个联合体.xlsx", admin)
    assert plan.errors == [] and len(imported) == 5
    assert [f.message for f in plan.warnings] == [
        f"{year} 年度报告于 {timezone.localdate().isoformat()} 报送，晚于 {year}-12-31（逾期报送）。"
        for _ in range(5) for year in YEARS]  # the workflow's reports were all sent today, late: so were theirs
    city, jingkou, danyang = Client(), Client(), Client()
    city.force_login(factories.user(Role.MUNICIPAL_STAFF))
    jingkou.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("京口区")))
    danyang.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    # each consortium's page
    for cast, consortium in zip(built, imported):
        assert page_facts(city, consortium) == page_facts(city, cast.consortium)
    # the statistics of each district (its own five), every year
    for year in YEARS:
        assert statistics(danyang, year) == statistics(jingkou, year)
    assert statistics(danyang, LAST)["grades"] == [("优秀", 2), ("合格", 2), ("不合格", 1)]
    # the exports of each district, but for what names the consortium or its lead and the moment of a decision
    for slug, drop, query in (("evaluations", {"创新联合体名称", "备案编号", "牵头单位", "评价时间"}, {}),
                       ("members", {"创新联合体名称", "备案编号", "牵头单位", "创新联合体状态", "所在辖区"}, {"role": "member"}),
                       ("support-records", {"创新联合体名称", "备案编号"}, {}),
                       ("support-totals", {"创新联合体名称", "备案编号", "牵头单位"}, {})):
        assert export(danyang, slug, drop, **query) == export(jingkou, slug, drop, **query), slug
